import * as tf from '@tensorflow/tfjs';

import {PolicyLayerArgs} from './layer_dtype_arg';
import {policyLayer} from './policy_layer';
import {registerLayerClass, stockLayerClass} from './stock_layer_class';
import {depthwiseConv2dLinear} from './conv_linear';

type StockDepthwiseConv2D = ReturnType<typeof tf.layers.depthwiseConv2d>;
/** The args of `tf.layers.depthwiseConv2d`, with `dtype` a policy. */
export type DepthwiseConv2DArgs = PolicyLayerArgs<Parameters<typeof tf.layers.depthwiseConv2d>[0]>;

/**
 * `tf.layers.depthwiseConv2d` under a dtype policy: float32 variables for mixed
 * policies, computing in the policy's compute dtype.
 *
 * @example
 * const layer = new mp.layers.DepthwiseConv2D({kernelSize: 3, depthMultiplier: 2, dtype: 'mixed_float16'});
 * layer.policy.variableDtype; // 'float32'
 */
export class DepthwiseConv2D extends policyLayer(stockLayerClass<StockDepthwiseConv2D>('DepthwiseConv2D'), depthwiseConv2dLinear) {
  static override className = 'DepthwiseConv2D';
  constructor(args: DepthwiseConv2DArgs) {
    super(args);
  }
}
registerLayerClass(DepthwiseConv2D);

/**
 * A policy-aware `tf.layers.depthwiseConv2d`.
 *
 * @example
 * const layer = mp.layers.depthwiseConv2d({kernelSize: 3, depthMultiplier: 2, dtype: 'mixed_float16'});
 */
export function depthwiseConv2d(args: DepthwiseConv2DArgs): DepthwiseConv2D {
  return new DepthwiseConv2D(args);
}
