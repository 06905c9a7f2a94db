import * as tf from '@tensorflow/tfjs';

import {NarrowDtype} from './narrow_dtype';
import {RoundAttrs, ROUND_KERNEL_NAME} from './round_kernel_name';

// The rounding built from stock tfjs ops, for backends without a fused
// kernel (webgl, tensorflow, ...). Exact, but slow: several elementwise ops
// and selects per element.

/**
 * Veltkamp splitting: `t - (t - x)` with `t = x * (2^s + 1)` is `x` rounded
 * to 24 - s significant bits, ties to even, as long as nothing overflows or
 * underflows.
 */
function veltkamp(x: tf.Tensor, splitter: number): tf.Tensor {
  const t = tf.mul(x, splitter);
  return tf.sub(t, tf.sub(t, x));
}

/**
 * Rounds to a fixed quantum `2^-23 * magic` for |x| < magic: adding `magic`
 * leaves exactly that quantum in float32. The sign is handled on the
 * magnitude, and a zero result takes `x`'s sign (x * 0), as IEEE underflow
 * to signed zero does.
 */
function fixedQuantum(x: tf.Tensor, magic: number): tf.Tensor {
  const magnitude = tf.sub(tf.add(tf.abs(x), magic), magic);
  const signed = tf.where(tf.less(x, 0), tf.neg(magnitude), magnitude);
  return tf.where(tf.equal(magnitude, 0), tf.mul(x, 0), signed);
}

function float16Composite(x: tf.Tensor): tf.Tensor {
  const a = tf.abs(x);
  const normal = veltkamp(x, 8193);
  const subnormal = fixedQuantum(x, 0.5); // quantum 2^-24
  // x * Infinity: a signed infinity for overflow, NaN for NaN (comparisons
  // with NaN are false, so NaN falls through to this branch).
  const overflow = tf.mul(x, Infinity);
  return tf.where(
    tf.less(a, 2 ** -14),
    subnormal,
    tf.where(tf.less(a, 65520), normal, overflow),
  );
}

function bfloat16Composite(x: tf.Tensor): tf.Tensor {
  const a = tf.abs(x);
  const normal = veltkamp(x, 65537);
  // Near float32's maximum, x * 65537 overflows: round a scaled-down copy
  // (exact powers of two) and scale back, which also yields Inf on carry.
  const large = tf.mul(veltkamp(tf.mul(x, 2 ** -64), 65537), 2 ** 64);
  const subnormal = fixedQuantum(x, 2 ** -110); // quantum 2^-133
  return tf.where(
    tf.less(a, 2 ** -126),
    subnormal,
    tf.where(
      tf.less(a, 2 ** 100),
      normal,
      // Inf and NaN pass through unchanged.
      tf.where(tf.less(a, Infinity), large, x),
    ),
  );
}

/**
 * `x` (float32) rounded to `dtype` with stock tfjs ops only. Differentiating
 * through this directly would give a zero gradient; call it through the
 * kernel (see `compositeRoundConfig`), whose gradient is registered.
 */
export function roundComposite(x: tf.Tensor, dtype: NarrowDtype): tf.Tensor {
  return tf.tidy(() => (dtype === 'float16' ? float16Composite(x) : bfloat16Composite(x)));
}

/**
 * The composite as a kernel for `backendName`. Its kernelFunc runs stock ops
 * (tfjs stops taping while a kernel runs, so they leave no tape nodes) and
 * returns a Tensor, which the engine accepts from a kernel as is.
 */
export function compositeRoundConfig(backendName: string): tf.KernelConfig {
  return {
    kernelName: ROUND_KERNEL_NAME,
    backendName,
    kernelFunc: ({inputs, attrs}) => {
      // The engine hands a kernel the Tensor objects given to runKernel.
      const x = inputs.x as tf.Tensor;
      return roundComposite(x, (attrs as RoundAttrs).dtype);
    },
  };
}
