import * as tf from '@tensorflow/tfjs';

import {PolicyLayerArgs} from './layer_dtype_arg';
import {policyLayer} from './policy_layer';
import {registerLayerClass, stockLayerClass} from './stock_layer_class';
import {conv3dLinear} from './conv_linear';

type StockConv3D = ReturnType<typeof tf.layers.conv3d>;
/** The args of `tf.layers.conv3d`, with `dtype` a policy. */
export type Conv3DArgs = PolicyLayerArgs<Parameters<typeof tf.layers.conv3d>[0]>;

/**
 * `tf.layers.conv3d` under a dtype policy: float32 variables for mixed
 * policies, computing in the policy's compute dtype.
 *
 * @example
 * const layer = new mp.layers.Conv3D({filters: 8, kernelSize: 3, dtype: 'mixed_float16'});
 * layer.policy.variableDtype; // 'float32'
 */
export class Conv3D extends policyLayer(stockLayerClass<StockConv3D>('Conv3D'), conv3dLinear) {
  static override className = 'Conv3D';
  constructor(args: Conv3DArgs) {
    super(args);
  }
}
registerLayerClass(Conv3D);

/**
 * A policy-aware `tf.layers.conv3d`.
 *
 * @example
 * const layer = mp.layers.conv3d({filters: 8, kernelSize: 3, dtype: 'mixed_float16'});
 */
export function conv3d(args: Conv3DArgs): Conv3D {
  return new Conv3D(args);
}
