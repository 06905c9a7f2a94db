import * as tf from '@tensorflow/tfjs';

import {PolicyLayerArgs} from './layer_dtype_arg';
import {policyLayer} from './policy_layer';
import {registerLayerClass, stockLayerClass} from './stock_layer_class';
import {conv1dLinear} from './conv_linear';
import {channelsFirstGap} from './stock_call_gaps';

type StockConv1D = ReturnType<typeof tf.layers.conv1d>;
/** The args of `tf.layers.conv1d`, with `dtype` a policy. */
export type Conv1DArgs = PolicyLayerArgs<Parameters<typeof tf.layers.conv1d>[0]>;

/**
 * `tf.layers.conv1d` under a dtype policy: float32 variables for mixed
 * policies, computing in the policy's compute dtype.
 *
 * @example
 * const layer = new mp.layers.Conv1D({filters: 8, kernelSize: 3, dtype: 'mixed_float16'});
 * layer.policy.variableDtype; // 'float32'
 */
export class Conv1D extends policyLayer(stockLayerClass<StockConv1D>('Conv1D'), conv1dLinear, channelsFirstGap) {
  static override className = 'Conv1D';
  constructor(args: Conv1DArgs) {
    super(args);
  }

  override getConfig(): tf.serialization.ConfigDict {
    // tfjs 4.22's Conv1D deletes dataFormat (Keras writes data_format), so a
    // channels-first layer reloaded as channels-last with the wrong kernel.
    const config = super.getConfig();
    config['dataFormat'] = (this as unknown as {dataFormat: string}).dataFormat;
    return config;
  }
}
registerLayerClass(Conv1D);

/**
 * A policy-aware `tf.layers.conv1d`.
 *
 * @example
 * const layer = mp.layers.conv1d({filters: 8, kernelSize: 3, dtype: 'mixed_float16'});
 */
export function conv1d(args: Conv1DArgs): Conv1D {
  return new Conv1D(args);
}
