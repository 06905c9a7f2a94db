import * as tf from '@tensorflow/tfjs';

import {PolicyLayerArgs} from './layer_dtype_arg';
import {requireVariable} from './layer_internals';
import {LinearOp} from './narrow_forward';
import {policyLayer} from './policy_layer';
import {registerLayerClass, stockLayerClass} from './stock_layer_class';

type StockDense = ReturnType<typeof tf.layers.dense>;
/** The args of `tf.layers.dense`, with `dtype` a policy. */
export type DenseArgs = PolicyLayerArgs<Parameters<typeof tf.layers.dense>[0]>;

// x . kernel over the last axis, for inputs of any rank >= 2.
const denseLinear: LinearOp = (layer, x, read) => {
  const kernel = read(requireVariable(layer as unknown as tf.layers.Layer, layer.kernel, 'kernel'));
  if (x.rank === 2) {
    return tf.matMul(x, kernel);
  }
  const inDim = x.shape[x.rank - 1] as number;
  const flat = tf.matMul(tf.reshape(x, [-1, inDim]), kernel);
  return tf.reshape(flat, [...x.shape.slice(0, -1), kernel.shape[1] as number]);
};

/**
 * `tf.layers.dense` under a dtype policy: float32 variables for mixed
 * policies, computing in the policy's compute dtype.
 *
 * @example
 * const dense = new mp.layers.Dense({units: 10, dtype: 'mixed_float16'});
 * dense.policy.computeDtype; // 'float16'
 */
export class Dense extends policyLayer(stockLayerClass<StockDense>('Dense'), denseLinear) {
  static override className = 'Dense';
  constructor(args: DenseArgs) {
    super(args);
  }
}
registerLayerClass(Dense);

/**
 * A policy-aware `tf.layers.dense`.
 *
 * @example
 * const layer = mp.layers.dense({units: 10, activation: 'relu', dtype: 'mixed_float16'});
 */
export function dense(args: DenseArgs): Dense {
  return new Dense(args);
}
