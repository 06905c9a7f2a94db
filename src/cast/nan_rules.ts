// What rounding does to a NaN, as bit patterns. One definition for the JS
// kernels and the scalar reference; the SIMD module and the GPU shaders
// spell the same rules in their own languages (tests hold them together).
//
// float16: numpy's float32 -> float16 conversion (npy_floatbits_to_halfbits):
// the sign and the top 10 payload bits are kept (sig >> 13); if those are
// all zero the lowest one is set, so the result stays a NaN. A signalling
// NaN stays signalling. As float32 bits: sign | 0x7f800000 | (sig & 0x7fe000).
//
// bfloat16: Eigen's float_to_bfloat16_rtne (Eigen/src/Core/arch/Default/
// BFloat16.h), which ml_dtypes' and TensorFlow's bfloat16 use: every NaN
// becomes the quiet NaN 0x7fc0 with the input's sign (0xffc0 when negative).

const SIGN = 0x80000000;
const FLOAT16_KEPT = 0xffffe000; // sign, exponent and the top 10 mantissa bits
const INF = 0x7f800000;
const FLOAT16_NAN_LSB = 0x2000;
const QUIET_NAN = 0x7fc00000;

/** float16 result bits for NaN bits `u` (numpy's rule). */
export function float16NaNBits(u: number): number {
  const kept = (u & FLOAT16_KEPT) >>> 0;
  return (kept & 0x7fffffff) === INF ? (kept | FLOAT16_NAN_LSB) >>> 0 : kept;
}

/** bfloat16 result bits for NaN bits `u` (Eigen's rule). */
export function bfloat16NaNBits(u: number): number {
  return ((u & SIGN) | QUIET_NAN) >>> 0;
}
