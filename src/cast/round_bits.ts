// Single-pass rounding loops over float32 bit patterns, shared by the JS
// kernels. Integer work on Uint32Array views: a branch per magnitude range
// rather than per special value, and no float<->bits conversions in the
// normal range, which is where almost all values of a network live.

import {bfloat16NaNBits, float16NaNBits} from './nan_rules';
import {NarrowDtype} from './narrow_dtype';

const SIGN = 0x80000000;
const ABS = 0x7fffffff;
const INF = 0x7f800000;
const FLOAT16_MIN_NORMAL = 0x38800000; // 2^-14
const FLOAT16_OVERFLOW = 0x477ff000; // 65520: the midpoint above 65504

/**
 * Writes to `dst` the float16 values of the float32 bit patterns in `src`.
 * `dstF` must alias `dst` (the subnormal range is rounded in float32
 * arithmetic: adding 0.5 leaves a quantum of exactly 2^-24).
 */
export function roundFloat16Bits(src: Uint32Array, dst: Uint32Array, dstF: Float32Array): void {
  const n = src.length;
  for (let i = 0; i < n; i++) {
    const u = src[i] as number;
    const a = u & ABS;
    if (a >= FLOAT16_MIN_NORMAL && a < FLOAT16_OVERFLOW) {
      dst[i] = (u + 0xfff + ((u >>> 13) & 1)) & 0xffffe000;
    } else if (a < FLOAT16_MIN_NORMAL) {
      // Math.fround after each step keeps float32 semantics: |x| + 0.5 is
      // exact in double whenever the result can be nonzero, so the single
      // fround is the only rounding.
      dstF[i] = Math.fround(Math.fround(floatFromBits(a) + 0.5) - 0.5);
      dst[i] = (dst[i] as number) | (u & SIGN);
    } else if (a <= INF) {
      dst[i] = (u & SIGN) | INF;
    } else {
      dst[i] = float16NaNBits(u);
    }
  }
}

const scratchU = new Uint32Array(1);
const scratchF = new Float32Array(scratchU.buffer);

function floatFromBits(bits: number): number {
  scratchU[0] = bits;
  return scratchF[0] as number;
}

/** Writes to `dst` the bfloat16 values of the float32 bit patterns in `src`. */
export function roundBfloat16Bits(src: Uint32Array, dst: Uint32Array): void {
  const n = src.length;
  for (let i = 0; i < n; i++) {
    const u = src[i] as number;
    // NaN must not round: a carry could turn its payload into Inf.
    dst[i] = (u & ABS) > INF ? bfloat16NaNBits(u) : (u + 0x7fff + ((u >>> 16) & 1)) & 0xffff0000;
  }
}

/** Dispatches on the format. */
export function roundBits(
  dtype: NarrowDtype,
  src: Uint32Array,
  dst: Uint32Array,
  dstF: Float32Array,
): void {
  if (dtype === 'float16') {
    roundFloat16Bits(src, dst, dstF);
  } else {
    roundBfloat16Bits(src, dst);
  }
}
