// Counts what the half formats make of a set of float32 values: the values
// are compared with their rounded copies (made by `cast`, the package's
// exact rounding), so "overflows", "flushes to zero" and "lands in the
// subnormals" mean exactly what the format does, boundaries included.

import {floorLog2} from './floor_log2';
import {HALF_FORMAT_RANGES, HALF_FORMATS, HalfFormat} from './format_ranges';

/** What one format makes of the values. Shares are of all entries. */
export interface FormatStats {
  /** Share of entries finite in float32 that round to ±Inf. */
  readonly overflow: number;
  /** Share of non-zero entries that round to ±0. */
  readonly flushed: number;
  /** Share of entries that round to a non-zero subnormal. */
  readonly subnormal: number;
  /** The same three as entry counts. */
  readonly counts: {readonly overflow: number; readonly flushed: number; readonly subnormal: number};
  /**
   * ||round(v) - v|| / ||v|| (Euclidean, over the finite entries): the share
   * of the float32 signal lost by rounding; Infinity when any entry overflows.
   */
  readonly relativeError: number;
}

/** The range of a set of values and what each half format makes of them. */
export interface RangeStats {
  /** Number of entries. */
  readonly count: number;
  /** Entries exactly 0 in float32. */
  readonly zeros: number;
  /** Entries already Inf or NaN in float32 (left out of the format counts). */
  readonly nonFinite: number;
  /** Smallest non-zero finite |v| (Infinity when there is none). */
  readonly minAbs: number;
  /** Largest finite |v| (0 when there is none). */
  readonly maxAbs: number;
  /** Non-zero finite entries per floor(log2 |v|), as [exponent, count] pairs, lowest first. */
  readonly log2Histogram: ReadonlyArray<readonly [number, number]>;
  readonly formats: Readonly<Record<HalfFormat, FormatStats>>;
}

interface FormatSums {
  overflow: number;
  flushed: number;
  subnormal: number;
  errorSquares: number;
}

/**
 * Accumulates `RangeStats` over several arrays (a layer's kernel and bias
 * gradients, for instance).
 *
 * @example
 * const tally = new RangeTally();
 * tally.add(values, {float16: rounded16, bfloat16: roundedBf16});
 * tally.stats().formats.float16.overflow;
 */
export class RangeTally {
  private count = 0;
  private zeros = 0;
  private nonFinite = 0;
  private minAbs = Infinity;
  private maxAbs = 0;
  private signalSquares = 0;
  private readonly histogram = new Map<number, number>();
  private readonly sums: Record<HalfFormat, FormatSums> = {
    float16: {overflow: 0, flushed: 0, subnormal: 0, errorSquares: 0},
    bfloat16: {overflow: 0, flushed: 0, subnormal: 0, errorSquares: 0},
  };

  /** Adds `values` and their copies rounded to each format (same length). */
  add(values: Float32Array, rounded: Readonly<Record<HalfFormat, Float32Array>>): this {
    this.count += values.length;
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (v === 0) {
        this.zeros++;
      } else if (!Number.isFinite(v)) {
        this.nonFinite++;
      } else {
        const a = Math.abs(v);
        if (a < this.minAbs) this.minAbs = a;
        if (a > this.maxAbs) this.maxAbs = a;
        this.signalSquares += v * v;
        const e = floorLog2(v);
        this.histogram.set(e, (this.histogram.get(e) ?? 0) + 1);
      }
    }
    for (const format of HALF_FORMATS) {
      this.addFormat(values, rounded[format], this.sums[format], HALF_FORMAT_RANGES[format].minNormal);
    }
    return this;
  }

  private addFormat(values: Float32Array, r: Float32Array, sums: FormatSums, minNormal: number): void {
    if (r.length !== values.length) {
      throw new Error(`RangeTally.add: rounded copies must have ${values.length} entries; received ${r.length}.`);
    }
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (v === 0 || !Number.isFinite(v)) {
        continue;
      }
      const x = r[i] as number;
      if (!Number.isFinite(x)) {
        sums.overflow++;
      } else if (x === 0) {
        sums.flushed++;
        sums.errorSquares += v * v;
      } else {
        if (Math.abs(x) < minNormal) sums.subnormal++;
        const d = x - v;
        sums.errorSquares += d * d;
      }
    }
  }

  /** The statistics of everything added so far. */
  stats(): RangeStats {
    const formats = {} as Record<HalfFormat, FormatStats>;
    const share = (n: number): number => (this.count === 0 ? 0 : n / this.count);
    for (const format of HALF_FORMATS) {
      const s = this.sums[format];
      formats[format] = {
        overflow: share(s.overflow),
        flushed: share(s.flushed),
        subnormal: share(s.subnormal),
        counts: {overflow: s.overflow, flushed: s.flushed, subnormal: s.subnormal},
        relativeError:
          s.overflow > 0 ? Infinity : this.signalSquares === 0 ? 0 : Math.sqrt(s.errorSquares / this.signalSquares),
      };
    }
    return {
      count: this.count,
      zeros: this.zeros,
      nonFinite: this.nonFinite,
      minAbs: this.minAbs,
      maxAbs: this.maxAbs,
      log2Histogram: [...this.histogram.entries()].sort((a, b) => a[0] - b[0]),
      formats,
    };
  }
}
