import * as tf from '@tensorflow/tfjs';

import {checkDtype, Dtype, describeValue, isFloatDtype} from '../dtypes';
import {setLogicalDtype} from '../logical_dtype';
import {ensureRoundKernel} from './ensure_round_kernel';
import {isNarrowDtype} from './narrow_dtype';
import {RoundAttrs, ROUND_KERNEL_NAME} from './round_kernel_name';
import './register_cast_kernels';

/**
 * Casts `x` to `dtype`, emulating float16 and bfloat16 exactly.
 *
 * - floating `x` to `'float16'`/`'bfloat16'`: a float32 tensor holding exactly
 *   the values IEEE binary16/bfloat16 would hold (nearest, ties to even;
 *   subnormals down to signed zero; overflow to signed Inf, for float16 every
 *   |x| >= 65520; NaN stays NaN). Its gradient is the upstream gradient
 *   rounded the same way.
 * - floating `x` to `'float32'`: the same values (widening is exact).
 * - int32/bool `x` to a floating dtype: passed through untouched (a clone).
 * - to `'int32'`: `tf.cast` (truncation); to `'bool'`: `x != 0`.
 *
 * Always returns a new tensor, never `x` itself, so callers may dispose the
 * input and the output independently. Floating results record their logical
 * dtype (see `dtypeOf`).
 *
 * @example
 * const h = mp.cast(tf.tensor([65519.99, 65520, 1e-8]), 'float16');
 * h.print(); // [65504, Infinity, 0]
 * mp.dtypeOf(h); // 'float16'
 */
export function cast(x: tf.Tensor, dtype: Dtype): tf.Tensor {
  const target = checkDtype('dtype', dtype);
  if (!(x instanceof tf.Tensor)) {
    throw new Error(`x must be a tf.Tensor; received ${describeValue(x)}.`);
  }
  if (x.dtype !== 'float32' && x.dtype !== 'int32' && x.dtype !== 'bool') {
    throw new Error(
      `x must be a float32, int32 or bool tensor; received a tensor of dtype ` +
        `'${x.dtype}'.`,
    );
  }
  if (target === 'bool' && x.dtype !== 'bool') {
    // tf.cast on wasm stores a negative value as bool 255; a comparison
    // gives a true 0/1 bool on every backend (NaN is true, as in tf.cast).
    return tf.notEqual(x, 0);
  }
  if (!isFloatDtype(target)) {
    return tf.cast(x, target);
  }
  if (x.dtype !== 'float32') {
    // Only floating values are ever rounded: integers and booleans pass.
    return tf.clone(x);
  }
  if (!isNarrowDtype(target)) {
    return setLogicalDtype(tf.clone(x), target);
  }
  ensureRoundKernel();
  const attrs: RoundAttrs = {dtype: target};
  const result = tf.engine().runKernel(ROUND_KERNEL_NAME, {x}, attrs) as tf.Tensor;
  return setLogicalDtype(result, target);
}
