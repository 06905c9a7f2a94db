// The histogram of the paper's Figure 3: how many gradient entries have
// log2 |g| in each unit-wide bin, with a separate count of exact zeros and a
// count per float16 range. Accumulates over several batches.

import {Float16Range, FLOAT16_RANGES, float16Range} from './float16_ranges';

/** Bins cover log2 |g| in [MIN_EXPONENT, MAX_EXPONENT + 1); outside values go to the end bins. */
export const MIN_EXPONENT = -40;
export const MAX_EXPONENT = 16;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * floor(log2 |v|) of a non-zero finite float32 value, exactly (read from the
 * exponent bits; float32 subnormals through Math.log2).
 *
 * @example
 * floorLog2(2 ** -24); // -24
 * floorLog2(0.75);     // -1
 */
export function floorLog2(value: number): number {
  f32[0] = value;
  const biased = ((u32[0] as number) >>> 23) & 0xff;
  if (biased === 0) {
    return Math.floor(Math.log2(Math.abs(f32[0] as number)));
  }
  return biased - 127;
}

/**
 * Counts of gradient entries per log2 bin and per float16 range.
 *
 * @example
 * const h = new GradientHistogram();
 * h.add(new Float32Array([0, 1e-9, 3e-6, 0.5]));
 * h.fraction('flushed'); // 0.25
 * h.bins[0];             // {exponent: -40, count: 0}
 */
export class GradientHistogram {
  /** counts[i] counts non-zero finite entries with floor(log2|g|) = MIN_EXPONENT + i (ends clamp). */
  private readonly counts = new Array<number>(MAX_EXPONENT - MIN_EXPONENT + 1).fill(0);
  private readonly ranges = new Map<Float16Range, number>(FLOAT16_RANGES.map((r) => [r, 0]));
  private entries = 0;

  /** Adds every entry of `values`. */
  add(values: ArrayLike<number>): this {
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      const range = float16Range(v);
      this.ranges.set(range, (this.ranges.get(range) as number) + 1);
      if (range !== 'zero' && range !== 'nan' && Number.isFinite(v)) {
        const e = Math.min(MAX_EXPONENT, Math.max(MIN_EXPONENT, floorLog2(v)));
        this.counts[e - MIN_EXPONENT] = (this.counts[e - MIN_EXPONENT] as number) + 1;
      }
    }
    this.entries += values.length;
    return this;
  }

  /** Total entries added, zeros included. */
  get total(): number {
    return this.entries;
  }

  /** Number of entries in `range`. */
  count(range: Float16Range): number {
    return this.ranges.get(range) as number;
  }

  /** Share of all entries in `range` (0 when empty). */
  fraction(range: Float16Range): number {
    return this.entries === 0 ? 0 : this.count(range) / this.entries;
  }

  /** The non-zero entries per unit log2 bin, lowest first. */
  get bins(): ReadonlyArray<{exponent: number; count: number}> {
    return this.counts.map((count, i) => ({exponent: MIN_EXPONENT + i, count}));
  }
}
