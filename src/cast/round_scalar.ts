// The scalar reference for float16/bfloat16 rounding. Written with integer
// operations on the float32 bit pattern, independently of the kernels (which
// use other tricks for the subnormal range), so tests can use it as an oracle.

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

const SIGN = 0x80000000;
const ABS = 0x7fffffff;
const INF = 0x7f800000;

/** Rounds float32 magnitude bits to a multiple of 2^drop, ties to even. */
function roundMantissa(bits: number, drop: number): number {
  const half = (1 << (drop - 1)) - 1;
  const lsb = (bits >>> drop) & 1;
  // Ties to even: add just under half, plus one if the kept part is odd.
  // A carry out of the mantissa correctly bumps the exponent.
  return ((bits + half + lsb) >>> drop) << drop;
}

/**
 * The value IEEE binary16 holds for `v` (first stored as float32, as a tensor
 * would store it): round to nearest, ties to even; gradual underflow through
 * the subnormals (quantum 2^-24) to signed zero; |v| >= 65520 becomes a signed
 * infinity; NaN stays NaN.
 *
 * @example
 * roundToFloat16(65519.99); // 65504
 * roundToFloat16(1 + 2 ** -11); // 1 (tie, to even)
 */
export function roundToFloat16(v: number): number {
  f32[0] = v;
  const bits = u32[0] as number;
  const sign = bits & SIGN;
  const abs = bits & ABS;
  if (abs > INF) {
    return f32[0] as number; // NaN
  }
  const exponent = abs >>> 23;
  if (exponent >= 113) {
    // Normal float16 range (>= 2^-14): keep 10 of 23 mantissa bits.
    const r = roundMantissa(abs, 13);
    u32[0] = (r >= 0x47800000 ? INF : r) | sign;
    return f32[0] as number;
  }
  // Subnormal range: the quantum is a fixed 2^-24. Shift the full
  // significand (implicit bit included) right so that one unit is 2^-24.
  const drop = 126 - exponent;
  let units = 0;
  if (exponent > 0 && drop <= 24) {
    const significand = (abs & 0x7fffff) | 0x800000;
    const kept = significand >>> drop;
    const rest = significand - kept * 2 ** drop;
    const halfway = 2 ** (drop - 1);
    units = kept + (rest > halfway || (rest === halfway && (kept & 1) === 1) ? 1 : 0);
  }
  const magnitude = units * 2 ** -24;
  return sign !== 0 ? -magnitude : magnitude;
}

/**
 * The value bfloat16 holds for `v` (first stored as float32): the float32 bit
 * pattern rounded to 7 mantissa bits, ties to even. bfloat16 shares float32's
 * exponent range, so subnormals round on the same grid and the carry out of
 * the largest finite values gives a signed infinity; NaN stays NaN.
 *
 * @example
 * roundToBfloat16(1 + 2 ** -8); // 1 (tie, to even)
 * roundToBfloat16(3.4e38); // Infinity
 */
export function roundToBfloat16(v: number): number {
  f32[0] = v;
  const bits = u32[0] as number;
  if ((bits & ABS) > INF) {
    return f32[0] as number; // NaN
  }
  u32[0] = roundMantissa(bits & ABS, 16) | (bits & SIGN);
  return f32[0] as number;
}
