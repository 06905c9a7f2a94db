// The verdict rule: from a layer's statistics, per format, whether the layer
// can run in the format, must stay in float32, or needs loss scaling; and
// the loss scales that keep its gradients representable.

import {HALF_FORMAT_RANGES, HalfFormat} from './format_ranges';
import {RangeStats} from './range_tally';

const MAX_SCALE_LOG2 = 127;

/** What the audit recommends for a layer in one format. */
export type Verdict = 'fine' | 'keep float32' | 'needs loss scaling';

/** Verdicts from best to worst, for "the worst of" summaries. */
export const VERDICTS: readonly Verdict[] = ['fine', 'needs loss scaling', 'keep float32'];

/** Loss scales 2^minLog2 ... 2^maxLog2 (empty when minLog2 > maxLog2). */
export interface LossScaleRange {
  readonly minLog2: number;
  readonly maxLog2: number;
}

export interface LayerVerdict {
  readonly verdict: Verdict;
  /** Why, in words (empty when fine). */
  readonly reasons: readonly string[];
  /**
   * The powers of two S (at most 2^127, a float32) for which every non-zero
   * gradient g of the layer has S|g| between the format's smallest subnormal
   * and its largest finite value (null when the layer has no non-zero gradient).
   */
  readonly lossScale: LossScaleRange | null;
}

/** Thresholds of the rule (checked by `checkAuditOptions`). */
export interface VerdictThresholds {
  /** Share of gradient entries allowed to flush to zero before loss scaling is advised. */
  readonly flushTolerance: number;
  /** Largest relative error of a layer's rounded output that is fine. */
  readonly maxRelativeError: number;
}

/** The layer's statistics the rule reads. */
export interface LayerStats {
  readonly outputs: RangeStats | null;
  readonly weights: RangeStats | null;
  readonly activationGrads: RangeStats | null;
  readonly weightGrads: RangeStats | null;
}

/**
 * keep float32: its outputs or weights overflow, its output loses more than
 * `maxRelativeError` of its signal, or its gradients overflow at scale 1;
 * needs loss scaling: more than `flushTolerance` of its activation or weight
 * gradients flush to zero; else fine.
 */
export function layerVerdict(stats: LayerStats, format: HalfFormat, t: VerdictThresholds): LayerVerdict {
  const keep: string[] = [];
  const scale: string[] = [];
  const pct = (share: number): string => `${(share * 100).toPrecision(3)}%`;
  for (const [what, s] of [['outputs', stats.outputs], ['weights', stats.weights]] as const) {
    const f = s?.formats[format];
    if (f !== undefined && f.overflow > 0) {
      keep.push(`${pct(f.overflow)} of its ${what} overflow to Inf`);
    }
  }
  const out = stats.outputs?.formats[format];
  if (out !== undefined && out.overflow === 0 && out.relativeError > t.maxRelativeError) {
    keep.push(`rounding its outputs loses ${out.relativeError.toPrecision(3)} of their signal (relative error)`);
  }
  for (const [what, s] of [['activation gradients', stats.activationGrads], ['weight gradients', stats.weightGrads]] as const) {
    const f = s?.formats[format];
    if (f === undefined) {
      continue;
    }
    if (f.overflow > 0) {
      keep.push(`${pct(f.overflow)} of its ${what} overflow to Inf`);
    }
    if (f.flushed > t.flushTolerance) {
      scale.push(`${pct(f.flushed)} of its ${what} flush to zero`);
    }
  }
  const verdict: Verdict = keep.length > 0 ? 'keep float32' : scale.length > 0 ? 'needs loss scaling' : 'fine';
  return {verdict, reasons: [...keep, ...scale], lossScale: lossScaleRange([stats.activationGrads, stats.weightGrads], format)};
}

/**
 * The powers of two that bring every non-zero gradient in `stats` into the
 * format's range (no flush to zero, no overflow); null without gradients.
 *
 * @example
 * // gradients between 2^-30 and 2^-2, float16: scales 2^6 ... 2^17
 */
export function lossScaleRange(stats: ReadonlyArray<RangeStats | null>, format: HalfFormat): LossScaleRange | null {
  let min = Infinity;
  let max = 0;
  for (const s of stats) {
    if (s !== null && s.maxAbs > 0) {
      min = Math.min(min, s.minAbs);
      max = Math.max(max, s.maxAbs);
    }
  }
  if (max === 0) {
    return null;
  }
  const range = HALF_FORMAT_RANGES[format];
  return {
    minLog2: Math.ceil(Math.log2(range.minSubnormal / min)),
    // The scale itself is a float32: at most 2^127.
    maxLog2: Math.min(MAX_SCALE_LOG2, Math.floor(Math.log2(range.max / max))),
  };
}

/** The intersection of several ranges (null ranges ignored). */
export function intersectRanges(ranges: ReadonlyArray<LossScaleRange | null>): LossScaleRange | null {
  const present = ranges.filter((r): r is LossScaleRange => r !== null);
  if (present.length === 0) {
    return null;
  }
  return {
    minLog2: Math.max(...present.map((r) => r.minLog2)),
    maxLog2: Math.min(...present.map((r) => r.maxLog2)),
  };
}

/** The worst of several verdicts ('fine' for none). */
export function worstVerdict(verdicts: readonly Verdict[]): Verdict {
  return verdicts.reduce<Verdict>((w, v) => (VERDICTS.indexOf(v) > VERDICTS.indexOf(w) ? v : w), 'fine');
}
