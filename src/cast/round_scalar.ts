// The scalar reference for float16/bfloat16 rounding. Written with integer
// operations on the float32 bit pattern, independently of the kernels (which
// use other tricks for the subnormal range), so tests can use it as an oracle.

import {bfloat16NaNBits, float16NaNBits} from './nan_rules';

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
 * The float16 rounding of float32 bit pattern `bits`, as float32 bits (the
 * reference at bit level: a JS number cannot carry a signalling NaN, since
 * reading one from a Float32Array quiets it). NaN as in nan_rules.ts.
 */
export function float16RoundedBits(bits: number): number {
  const sign = bits & SIGN;
  const abs = bits & ABS;
  if (abs > INF) {
    return float16NaNBits(bits);
  }
  const exponent = abs >>> 23;
  if (exponent >= 113) {
    // Normal float16 range (>= 2^-14): keep 10 of 23 mantissa bits.
    const r = roundMantissa(abs, 13);
    return ((r >= 0x47800000 ? INF : r) | sign) >>> 0;
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
  f32[0] = units * 2 ** -24; // exact: a float32 normal number (or 0)
  return ((u32[0] as number) | sign) >>> 0;
}

/**
 * The bfloat16 rounding of float32 bit pattern `bits`, as float32 bits: 7
 * mantissa bits, ties to even. bfloat16 shares float32's exponent range, so
 * subnormals round on the same grid and the carry out of the largest finite
 * values gives a signed infinity. NaN as in nan_rules.ts.
 */
export function bfloat16RoundedBits(bits: number): number {
  if ((bits & ABS) > INF) {
    return bfloat16NaNBits(bits);
  }
  return (roundMantissa(bits & ABS, 16) | (bits & SIGN)) >>> 0;
}

function viaBits(v: number, round: (bits: number) => number): number {
  f32[0] = v;
  u32[0] = round(u32[0] as number);
  return f32[0] as number;
}

/**
 * The value IEEE binary16 holds for `v` (first stored as float32, as a tensor
 * would store it): round to nearest, ties to even; gradual underflow through
 * the subnormals (quantum 2^-24) to signed zero; |v| >= 65520 becomes a signed
 * infinity; NaN stays NaN (for payloads see `float16RoundedBits`).
 *
 * @example
 * roundToFloat16(65519.99); // 65504
 * roundToFloat16(1 + 2 ** -11); // 1 (tie, to even)
 */
export function roundToFloat16(v: number): number {
  return viaBits(v, float16RoundedBits);
}

/**
 * The value bfloat16 holds for `v` (first stored as float32): round to
 * nearest, ties to even, on float32's exponent range (subnormals included);
 * the carry out of the largest finite values gives a signed infinity; NaN
 * stays NaN.
 *
 * @example
 * roundToBfloat16(1 + 2 ** -8); // 1 (tie, to even)
 * roundToBfloat16(3.4e38); // Infinity
 */
export function roundToBfloat16(v: number): number {
  return viaBits(v, bfloat16RoundedBits);
}
