import * as tf from '@tensorflow/tfjs';

import {PolicyLayerArgs} from './layer_dtype_arg';
import {policyLayer} from './policy_layer';
import {registerLayerClass, stockLayerClass} from './stock_layer_class';
import {conv2dLinear} from './conv_linear';

type StockConv2D = ReturnType<typeof tf.layers.conv2d>;
/** The args of `tf.layers.conv2d`, with `dtype` a policy. */
export type Conv2DArgs = PolicyLayerArgs<Parameters<typeof tf.layers.conv2d>[0]>;

/**
 * `tf.layers.conv2d` under a dtype policy: float32 variables for mixed
 * policies, computing in the policy's compute dtype.
 *
 * @example
 * const layer = new mp.layers.Conv2D({filters: 8, kernelSize: 3, dtype: 'mixed_float16'});
 * layer.policy.variableDtype; // 'float32'
 */
export class Conv2D extends policyLayer(stockLayerClass<StockConv2D>('Conv2D'), conv2dLinear) {
  static override className = 'Conv2D';
  constructor(args: Conv2DArgs) {
    super(args);
  }
}
registerLayerClass(Conv2D);

/**
 * A policy-aware `tf.layers.conv2d`.
 *
 * @example
 * const layer = mp.layers.conv2d({filters: 8, kernelSize: 3, dtype: 'mixed_float16'});
 */
export function conv2d(args: Conv2DArgs): Conv2D {
  return new Conv2D(args);
}
