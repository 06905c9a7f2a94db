// The ranges of the two half formats, in one table: what the audit counts
// against and what the report shades. Derived from the formats' definitions
// (float16: 5 exponent bits, 10 mantissa bits; bfloat16: 8 and 7).

/** A half format the audit measures against. */
export type HalfFormat = 'float16' | 'bfloat16';

/** The formats, in the order tables and reports show them. */
export const HALF_FORMATS: readonly HalfFormat[] = ['float16', 'bfloat16'];

/** The limits of one format. */
export interface FormatRange {
  /** Smallest positive subnormal. */
  readonly minSubnormal: number;
  /** Smallest positive normal number. */
  readonly minNormal: number;
  /** Largest finite value. */
  readonly max: number;
  /** Magnitudes from here up round to Inf (the midpoint past `max`, ties to even). */
  readonly overflowLimit: number;
  /** Mantissa bits kept (without the implicit bit). */
  readonly mantissaBits: number;
}

/**
 * float16 and bfloat16 limits.
 *
 * @example
 * mp.HALF_FORMAT_RANGES.float16.max;        // 65504
 * mp.HALF_FORMAT_RANGES.bfloat16.minNormal; // 2 ** -126
 */
export const HALF_FORMAT_RANGES: Readonly<Record<HalfFormat, FormatRange>> = {
  float16: {
    minSubnormal: 2 ** -24,
    minNormal: 2 ** -14,
    max: 65504,
    overflowLimit: 65520,
    mantissaBits: 10,
  },
  bfloat16: {
    minSubnormal: 2 ** -133,
    minNormal: 2 ** -126,
    max: (2 - 2 ** -7) * 2 ** 127,
    overflowLimit: (2 - 2 ** -8) * 2 ** 127,
    mantissaBits: 7,
  },
};
