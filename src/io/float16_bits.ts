// float32 values to IEEE binary16 bit patterns, as stock tfjs's
// float16-quantized weights store them (one little-endian uint16 each).
// Rounding is the package's scalar reference (nearest, ties to even,
// subnormals); this only lays the rounded value out in 16 bits.

import {roundToFloat16} from '../cast/round_scalar';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * The binary16 bits of `v` rounded to float16 (±Inf for |v| >= 65520,
 * 0x7e00 for NaN).
 *
 * @example
 * float16Bits(1);      // 0x3c00
 * float16Bits(-65504); // 0xfbff
 * float16Bits(2 ** -24); // 0x0001
 */
export function float16Bits(v: number): number {
  f32[0] = roundToFloat16(v);
  const bits = u32[0] as number;
  const sign = (bits >>> 16) & 0x8000;
  const abs = bits & 0x7fffffff;
  if (abs > 0x7f800000) {
    return sign | 0x7e00;
  }
  if (abs === 0x7f800000) {
    return sign | 0x7c00;
  }
  const exponent = abs >>> 23;
  if (exponent >= 113) {
    return sign | ((exponent - 112) << 10) | ((abs >>> 13) & 0x3ff);
  }
  // Subnormal (or zero): an integer count of 2^-24.
  return sign | Math.round(Math.abs(f32[0] as number) * 2 ** 24);
}
