import * as tf from '@tensorflow/tfjs';

import {PolicyLayerArgs} from './layer_dtype_arg';
import {policyLayer} from './policy_layer';
import {registerLayerClass, stockLayerClass} from './stock_layer_class';
import {conv2dTransposeLinear} from './conv_linear';

type StockConv2DTranspose = ReturnType<typeof tf.layers.conv2dTranspose>;
/** The args of `tf.layers.conv2dTranspose`, with `dtype` a policy. */
export type Conv2DTransposeArgs = PolicyLayerArgs<Parameters<typeof tf.layers.conv2dTranspose>[0]>;

/**
 * `tf.layers.conv2dTranspose` under a dtype policy: float32 variables for mixed
 * policies, computing in the policy's compute dtype.
 *
 * @example
 * const layer = new mp.layers.Conv2DTranspose({filters: 8, kernelSize: 3, strides: 2, dtype: 'mixed_float16'});
 * layer.policy.variableDtype; // 'float32'
 */
export class Conv2DTranspose extends policyLayer(stockLayerClass<StockConv2DTranspose>('Conv2DTranspose'), conv2dTransposeLinear) {
  static override className = 'Conv2DTranspose';
  constructor(args: Conv2DTransposeArgs) {
    super(args);
  }
}
registerLayerClass(Conv2DTranspose);

/**
 * A policy-aware `tf.layers.conv2dTranspose`.
 *
 * @example
 * const layer = mp.layers.conv2dTranspose({filters: 8, kernelSize: 3, strides: 2, dtype: 'mixed_float16'});
 */
export function conv2dTranspose(args: Conv2DTransposeArgs): Conv2DTranspose {
  return new Conv2DTranspose(args);
}
