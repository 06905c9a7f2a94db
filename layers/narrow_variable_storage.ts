import * as tf from '@tensorflow/tfjs';

import {cast} from '../src/cast/cast';
import {NarrowDtype} from '../src/cast/narrow_dtype';
import {LayerVariable} from './layer_internals';

const narrowed = new WeakMap<tf.Variable, NarrowDtype>();

/**
 * Makes a layer variable behave as if stored in `dtype` (the `float16` and
 * `bfloat16` policies, and `infer` fed narrow inputs): its current value is
 * rounded now, and every later write is rounded before it is stored.
 *
 * Why at the storage level rather than cast-on-read: with true half-precision
 * variables an update smaller than half an ulp is lost, and that is what
 * training under a `float16` policy must reproduce. tfjs optimizers write with
 * `tf.Variable.assign` directly (bypassing `LayerVariable.write` and its
 * constraint, so a constraint-like hook would not run in `fit`); `setWeights`
 * and weight loading end in the same `assign`. Wrapping that one method of
 * this one variable therefore rounds every path that can change its value.
 * The layer still casts the variable on read, which is then an identity on
 * the values but rounds the gradient, as a real float16 variable's would be.
 *
 * @example
 * storeNarrow(dense.weights[0], 'float16');
 */
export function storeNarrow(variable: LayerVariable, dtype: NarrowDtype): void {
  const v = (variable as unknown as {val: tf.Variable}).val;
  const existing = narrowed.get(v);
  if (existing !== undefined) {
    if (existing !== dtype) {
      throw new Error(
        `Variable '${variable.name}' is already stored as ${existing}; cannot also store it as ${dtype}.`,
      );
    }
    return;
  }
  const assign = v.assign.bind(v);
  v.assign = (value: tf.Tensor) => {
    const rounded = cast(value, dtype);
    try {
      assign(rounded);
    } finally {
      // The variable keeps its own reference to the data.
      rounded.dispose();
    }
  };
  narrowed.set(v, dtype);
  v.assign(v);
}

/** The dtype a variable is stored as: float16/bfloat16 if narrowed, else float32. */
export function storedDtypeOf(variable: LayerVariable): NarrowDtype | 'float32' {
  return narrowed.get((variable as unknown as {val: tf.Variable}).val) ?? 'float32';
}
