// Where a float32 value lands when stored as IEEE float16 (round to nearest,
// ties to even): the ranges the paper's Figure 3 marks.

/** Smallest positive float16 subnormal, 2^-24 (about 5.96e-8). */
export const FLOAT16_MIN_SUBNORMAL = 2 ** -24;
/** Smallest positive float16 normal, 2^-14 (about 6.10e-5). */
export const FLOAT16_MIN_NORMAL = 2 ** -14;
/** Largest finite float16, 65504. */
export const FLOAT16_MAX = 65504;
/**
 * Magnitudes up to and including this (half the smallest subnormal, 2^-25)
 * round to zero; anything larger rounds to at least 2^-24.
 */
export const FLOAT16_FLUSH_LIMIT = 2 ** -25;
/** Magnitudes from here up round to infinity (the midpoint past 65504). */
export const FLOAT16_OVERFLOW_LIMIT = 65520;

/** The fate of a value stored as float16. */
export type Float16Range = 'zero' | 'flushed' | 'subnormal' | 'normal' | 'overflow' | 'nan';

/** All ranges, from smallest to largest magnitude, for tables and legends. */
export const FLOAT16_RANGES: readonly Float16Range[] = [
  'zero',
  'flushed',
  'subnormal',
  'normal',
  'overflow',
  'nan',
];

/**
 * Classifies a float32 value by what float16 makes of it:
 * `zero` (already exactly 0), `flushed` (non-zero, becomes 0),
 * `subnormal` (kept with reduced precision), `normal`, `overflow` (becomes
 * infinite), `nan`.
 *
 * @example
 * float16Range(1e-8);  // 'flushed'
 * float16Range(1e-6);  // 'subnormal'
 * float16Range(0.01);  // 'normal'
 */
export function float16Range(value: number): Float16Range {
  const magnitude = Math.abs(value);
  if (Number.isNaN(magnitude)) {
    return 'nan';
  }
  if (magnitude === 0) {
    return 'zero';
  }
  if (magnitude <= FLOAT16_FLUSH_LIMIT) {
    return 'flushed';
  }
  if (magnitude < FLOAT16_MIN_NORMAL) {
    return 'subnormal';
  }
  return magnitude < FLOAT16_OVERFLOW_LIMIT ? 'normal' : 'overflow';
}
