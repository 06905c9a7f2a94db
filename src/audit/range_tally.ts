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

// floor(log2 |v|) of non-zero finite float32 values spans -149 ... 127.
const MIN_EXPONENT = -149;
const BINS = 127 - MIN_EXPONENT + 1;

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
  private readonly histogram = new Float64Array(BINS);
  private readonly sums: Record<HalfFormat, FormatSums> = {
    float16: {overflow: 0, flushed: 0, subnormal: 0, errorSquares: 0},
    bfloat16: {overflow: 0, flushed: 0, subnormal: 0, errorSquares: 0},
  };

  /** Adds `values` and their copies rounded to each format (same length). */
  add(values: Float32Array, rounded: Readonly<Record<HalfFormat, Float32Array>>): this {
    for (const format of HALF_FORMATS) {
      if (rounded[format].length !== values.length) {
        throw new Error(`RangeTally.add: rounded copies must have ${values.length} entries; received ${rounded[format].length}.`);
      }
    }
    // One pass over the values: the hot loop of an audit. The exponent is
    // read from the float32 bits (exact), not from Math.log2.
    const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
    const half = rounded.float16;
    const brain = rounded.bfloat16;
    const h = this.sums.float16;
    const b = this.sums.bfloat16;
    const halfMinNormal = HALF_FORMAT_RANGES.float16.minNormal;
    const brainMinNormal = HALF_FORMAT_RANGES.bfloat16.minNormal;
    let zeros = 0;
    let nonFinite = 0;
    let minAbs = this.minAbs;
    let maxAbs = this.maxAbs;
    let signal = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (v === 0) {
        zeros++;
        continue;
      }
      const biased = ((bits[i] as number) >>> 23) & 0xff;
      if (biased === 0xff) {
        nonFinite++;
        continue;
      }
      const a = v < 0 ? -v : v;
      if (a < minAbs) minAbs = a;
      if (a > maxAbs) maxAbs = a;
      signal += v * v;
      const e = biased === 0 ? floorLog2(v) : biased - 127;
      (this.histogram[e - MIN_EXPONENT] as number)++;
      const x = half[i] as number;
      if (x === 0) {
        h.flushed++;
        h.errorSquares += v * v;
      } else if (x - x !== 0) {
        h.overflow++;
      } else {
        if (x < halfMinNormal && x > -halfMinNormal) h.subnormal++;
        h.errorSquares += (x - v) * (x - v);
      }
      const y = brain[i] as number;
      if (y === 0) {
        b.flushed++;
        b.errorSquares += v * v;
      } else if (y - y !== 0) {
        b.overflow++;
      } else {
        if (y < brainMinNormal && y > -brainMinNormal) b.subnormal++;
        b.errorSquares += (y - v) * (y - v);
      }
    }
    this.count += values.length;
    this.zeros += zeros;
    this.nonFinite += nonFinite;
    this.minAbs = minAbs;
    this.maxAbs = maxAbs;
    this.signalSquares += signal;
    return this;
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
      log2Histogram: Array.from(this.histogram, (c, i) => [i + MIN_EXPONENT, c] as const).filter(([, c]) => c > 0),
      formats,
    };
  }
}
