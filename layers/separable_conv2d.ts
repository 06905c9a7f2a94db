import * as tf from '@tensorflow/tfjs';

import {PolicyLayerArgs} from './layer_dtype_arg';
import {policyLayer} from './policy_layer';
import {registerLayerClass, stockLayerClass} from './stock_layer_class';
import {separableConv2dLinear} from './conv_linear';
import {channelsFirstGap} from './stock_call_gaps';

type StockSeparableConv2D = ReturnType<typeof tf.layers.separableConv2d>;
/** The args of `tf.layers.separableConv2d`, with `dtype` a policy. */
export type SeparableConv2DArgs = PolicyLayerArgs<Parameters<typeof tf.layers.separableConv2d>[0]>;

/**
 * `tf.layers.separableConv2d` under a dtype policy: float32 variables for mixed
 * policies, computing in the policy's compute dtype.
 *
 * @example
 * const layer = new mp.layers.SeparableConv2D({filters: 8, kernelSize: 3, dtype: 'mixed_float16'});
 * layer.policy.variableDtype; // 'float32'
 */
export class SeparableConv2D extends policyLayer(stockLayerClass<StockSeparableConv2D>('SeparableConv2D'), separableConv2dLinear, channelsFirstGap) {
  static override className = 'SeparableConv2D';
  constructor(args: SeparableConv2DArgs) {
    super(args);
  }

  override getConfig(): tf.serialization.ConfigDict {
    // tfjs 4.22's SeparableConv omits depthMultiplier (Keras writes it), so a
    // saved model reloads with the wrong depthwise kernel shape.
    const config = super.getConfig();
    config['depthMultiplier'] = (this as unknown as {depthMultiplier: number}).depthMultiplier;
    return config;
  }
}
registerLayerClass(SeparableConv2D);

/**
 * A policy-aware `tf.layers.separableConv2d`.
 *
 * @example
 * const layer = mp.layers.separableConv2d({filters: 8, kernelSize: 3, dtype: 'mixed_float16'});
 */
export function separableConv2d(args: SeparableConv2DArgs): SeparableConv2D {
  return new SeparableConv2D(args);
}
