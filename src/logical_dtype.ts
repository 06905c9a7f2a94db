import * as tf from '@tensorflow/tfjs';

import {Dtype, FloatDtype, describeValue} from './dtypes';

// Every floating tensor is float32 in storage; this remembers which narrow
// format a tensor's values were rounded to, so that `infer` policies can take
// their compute dtype from their input. Weak keys: tracking never leaks.
const logicalDtypes = new WeakMap<object, FloatDtype>();

type Tracked = tf.Tensor | tf.SymbolicTensor;

/**
 * The logical dtype of a tensor: `float16` or `bfloat16` when it was produced
 * by `cast` or a policy layer computing in that dtype, else its tfjs dtype.
 *
 * @example
 * const h = mp.cast(tf.tensor([1.1]), 'float16');
 * mp.dtypeOf(h); // 'float16'
 */
export function dtypeOf(x: Tracked): Dtype | tf.DataType {
  // Checked here: anything else would read as `undefined` or fail deep inside.
  if (!(x instanceof tf.Tensor) && !(x instanceof tf.SymbolicTensor)) {
    throw new Error(`dtypeOf: x must be a tf.Tensor or tf.SymbolicTensor; received ${describeValue(x)}.`);
  }
  return logicalDtypes.get(x) ?? x.dtype;
}

/** Records `dtype` as the logical dtype of `x` (float32 clears the record). */
export function setLogicalDtype<T extends Tracked>(x: T, dtype: FloatDtype): T {
  if (dtype === 'float32') {
    logicalDtypes.delete(x);
  } else {
    logicalDtypes.set(x, dtype);
  }
  return x;
}
