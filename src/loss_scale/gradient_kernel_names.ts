/**
 * Two single-pass kernels behind loss scaling, registered for the cpu and
 * wasm backends (other backends compose stock ops instead, see
 * gradient_scaling.ts). Stock ops cost about 15x more on cpu: `tf.div` by a
 * scalar broadcasts through a generic binary loop, and a finiteness test
 * needs two passes (`sum(g * 0)`) plus an intermediate tensor.
 */

/** `x / scale` elementwise, float32 in and out. Attrs: `UnscaleAttrs`. */
export const UNSCALE_KERNEL_NAME = 'MixedPrecisionUnscale';

/** A float32 scalar: 0 when every entry of `x` is finite, 1 otherwise. */
export const NON_FINITE_KERNEL_NAME = 'MixedPrecisionNonFinite';

export interface UnscaleAttrs {
  // An index signature, as tfjs's NamedAttrMap requires.
  [key: string]: number;
  /** A positive float32 value. */
  scale: number;
}

/** `x / scale` for one typed array into another (float32 division, exactly as tf.div rounds). */
export function unscaleInto(x: Float32Array, out: Float32Array, scale: number): void {
  for (let i = 0; i < x.length; i++) {
    // Double division then float32 store is correctly rounded float32 division
    // (the double format has more than 2 * 24 + 2 bits).
    out[i] = (x[i] as number) / scale;
  }
}

/** 0 when every entry is finite, 1 otherwise: `v - v` is 0 for finite v and NaN for NaN/Inf. */
export function nonFiniteFlag(x: Float32Array): number {
  let acc = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    acc += v - v;
  }
  return acc === 0 ? 0 : 1;
}
