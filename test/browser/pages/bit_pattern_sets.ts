// The float32 bit-pattern sets the browser cast tests run, by name.
import {allFloat16Values, float16Midpoints, randomFloat32} from '../../cast/rounding_cases';

export type BitPatternSetName = 'float16Values' | 'float16Midpoints' | 'bfloat16Midpoints' | 'random';

/**
 * Every midpoint between neighbouring bfloat16 values (the float32 pattern
 * with the 16 low bits 0x8000: above the largest finite one, the tie that
 * overflows), both signs, with the float32 patterns just below and above it.
 */
function bfloat16Midpoints(): Float32Array {
  const bits: number[] = [];
  for (let b = 0; b < 0x7f80; b++) {
    for (const sign of [0, 0x80000000]) {
      const mid = (sign | (b << 16) | 0x8000) >>> 0;
      bits.push(mid - 1, mid, mid + 1);
    }
  }
  return new Float32Array(Uint32Array.from(bits).buffer);
}

/** Every float16 midpoint with its float32 neighbours below and above. */
function float16MidpointsAndNeighbours(): Float32Array {
  const mids = new Uint32Array(float16Midpoints().inputs.buffer);
  const bits = new Uint32Array(mids.length * 3);
  mids.forEach((m, i) => {
    bits.set([m - 1, m, m + 1], 3 * i);
  });
  return new Float32Array(bits.buffer);
}

export function bitPatternSet(name: BitPatternSetName, count: number, seed: number): Float32Array {
  switch (name) {
    case 'float16Values':
      return allFloat16Values();
    case 'float16Midpoints':
      return float16MidpointsAndNeighbours();
    case 'bfloat16Midpoints':
      return bfloat16Midpoints();
    case 'random':
      return randomFloat32(count, seed);
  }
}
