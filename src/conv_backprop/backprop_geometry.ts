/**
 * Where the two backprop convolutions of a forward convolution sit, one
 * spatial axis at a time.
 *
 * Forward, output index `o` reads input index `o * stride + f * dilation -
 * padBefore` for each filter tap `f`. Both gradients are again convolutions
 * over this relation: the filter gradient slides `dy` (dilated by `stride`)
 * over `x` with step `dilation`; the input gradient slides the flipped filter
 * (dilated by `dilation`) over `dy` dilated by `stride`. What differs from the
 * forward pass is only the padding, which can come out negative; a negative
 * pad is a crop, because those rows are never read.
 */
export interface ConvAxis {
  /** Length of the forward input along this axis. */
  inSize: number;
  /** Length of the forward output along this axis. */
  outSize: number;
  /** Filter taps along this axis (before dilation). */
  filterSize: number;
  stride: number;
  dilation: number;
  /** Padding before the first input row, as resolved by tfjs (`padInfo.top`/`left`). */
  padBefore: number;
}

/** How to present one axis of an input to a convolution: crop, then zero-pad. */
export interface AxisPlacement {
  /** Rows dropped at the start. */
  cropBefore: number;
  /** Rows kept after the crop (0 or less: nothing of the input is read). */
  keep: number;
  /** Zero rows added before / after the kept rows (the convolution's own padding). */
  padBefore: number;
  padAfter: number;
}

function place(length: number, before: number, after: number): AxisPlacement {
  const cropBefore = Math.max(0, -before);
  const cropAfter = Math.max(0, -after);
  return {
    cropBefore,
    keep: length - cropBefore - cropAfter,
    padBefore: Math.max(0, before),
    padAfter: Math.max(0, after),
  };
}

/**
 * Filter gradient: `x` is the input of a convolution whose filter is `dy`
 * (taps `outSize`, dilation `stride`) with step `dilation`, giving exactly
 * `filterSize` outputs.
 *
 * @example
 * // 3 taps, stride 2, 'valid' on 6 rows: the last row of x is never read.
 * filterGradAxis({inSize: 6, outSize: 2, filterSize: 3, stride: 2, dilation: 1, padBefore: 0});
 * // -> {cropBefore: 0, keep: 5, padBefore: 0, padAfter: 0}
 */
export function filterGradAxis(a: ConvAxis): AxisPlacement {
  const extent = (a.filterSize - 1) * a.dilation + (a.outSize - 1) * a.stride + 1;
  return place(a.inSize, a.padBefore, extent - a.padBefore - a.inSize);
}

/**
 * Input gradient: `dy` dilated by `stride` to `outSize * stride` rows (the
 * last `stride - 1` of them zero) is the input of a stride-1 convolution with
 * the flipped filter (dilation `dilation`), giving exactly `inSize` outputs.
 *
 * @example
 * // 3x3 'same', stride 1 on 5 rows: pad 1 on both sides, as in the forward pass.
 * inputGradAxis({inSize: 5, outSize: 5, filterSize: 3, stride: 1, dilation: 1, padBefore: 1});
 * // -> {cropBefore: 0, keep: 5, padBefore: 1, padAfter: 1}
 */
export function inputGradAxis(a: ConvAxis): AxisPlacement {
  const effectiveFilter = (a.filterSize - 1) * a.dilation + 1;
  const length = a.outSize * a.stride;
  const before = effectiveFilter - 1 - a.padBefore;
  const after = a.inSize + effectiveFilter - 1 - length - before;
  return place(length, before, after);
}

/** One phase of a strided input gradient along one axis (see `inputGradPhaseAxis`). */
export interface PhaseAxis {
  /** Filter taps this phase uses, in the order the stride-1 convolution reads them. */
  taps: number[];
  /** How dy is presented to that convolution. */
  placement: AxisPlacement;
  /** Rows the phase produces: ceil(inSize / stride), the longest phase. */
  outSize: number;
}

/**
 * Input gradient with stride s > 1 (dilation 1), split by output phase: the
 * input rows `q * s + phase` receive only the filter taps `f` with
 * `f = (phase + padBefore) mod s (mod s)`, each from dy row `q + e - k`. So
 * each phase is a stride-1 convolution of the undilated dy with a sub-filter,
 * and no multiplication by the zeros of a stride-dilated dy is wasted. Every
 * phase yields `outSize` rows; the rows past `inSize` are dropped after the
 * phases are interleaved.
 *
 * @example
 * // 3 taps, stride 2, 'same' on 6 rows (padBefore 0): the even rows get taps
 * // 2 and 0 (read in that order), the odd rows tap 1.
 * inputGradPhaseAxis({inSize: 6, outSize: 3, filterSize: 3, stride: 2, dilation: 1, padBefore: 0}, 0);
 * // -> {taps: [2, 0], placement: {cropBefore: 0, keep: 3, padBefore: 1, padAfter: 0}, outSize: 3}
 */
export function inputGradPhaseAxis(a: ConvAxis, phase: number): PhaseAxis {
  const s = a.stride;
  const first = (((phase + a.padBefore) % s) + s) % s;
  const taps: number[] = [];
  for (let f = first; f < a.filterSize; f += s) taps.unshift(f);
  const shift = (phase + a.padBefore - first) / s;
  const outSize = Math.ceil(a.inSize / s);
  const before = taps.length - 1 - shift;
  const after = outSize + taps.length - 1 - a.outSize - before;
  return {taps, placement: place(a.outSize, before, after), outSize};
}
