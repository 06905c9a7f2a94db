import * as tf from '@tensorflow/tfjs';

import {inputGradPhaseAxis, PhaseAxis} from './backprop_geometry';
import {KernelScope, view} from './kernel_scope';
import {convAxes, placeInput} from './spatial_ops';

/**
 * The input gradient of a strided convolution (dilation 1) as one stride-1
 * convolution per output phase (`inputGradPhaseAxis`), interleaved into dx. Compared with convolving a stride-dilated dy it
 * skips the s_h * s_w - 1 of every s_h * s_w products that multiply inserted
 * zeros, which made the dilated form slower than wasm's stock kernel from
 * stride 3 on.
 *
 * `depthwise` selects DepthwiseConv2dNative (filter [fh, fw, c, m], summed over
 * m) instead of Conv2D (filter [fh, fw, ci, co]). dy is channels-last.
 *
 * @example
 * const dx = stridedInputGrad(scope, dy, filter, convInfo, false);
 */
export function stridedInputGrad(
    scope: KernelScope, dy: tf.TensorInfo, filter: tf.TensorInfo, info: tf.backend_util.Conv2DInfo,
    depthwise: boolean): tf.TensorInfo {
  const [rowAxis, colAxis] = convAxes(info);
  const sh = info.strideHeight;
  const sw = info.strideWidth;
  const shape = info.inShape;
  const weights = scope.backend.readSync(filter.dataId) as Float32Array;
  // Phases that read nothing stay zero.
  const dx = new Float32Array(tf.util.sizeFromShape(shape));
  for (let rh = 0; rh < sh; ++rh) {
    const rows = inputGradPhaseAxis(rowAxis, rh);
    for (let rw = 0; rw < sw; ++rw) {
      const cols = inputGradPhaseAxis(colAxis, rw);
      if (rows.taps.length === 0 || cols.taps.length === 0 || rows.placement.keep <= 0 ||
          cols.placement.keep <= 0) {
        continue;
      }
      const phase = phaseConv(scope, dy, weights, filter.shape, rows, cols, depthwise);
      interleave(scope.backend.readSync(phase.dataId) as Float32Array, dx, shape, rows.outSize, cols.outSize,
          [rh, rw], [sh, sw]);
    }
  }
  return scope.adopt({dataId: scope.backend.write(dx, shape, 'float32'), shape, dtype: 'float32'});
}

/**
 * Writes phase (rh, rw), [b, qh, qw, c], to dx[b, qh * sh + rh, qw * sw + rw, c],
 * dropping rows and columns past dx's edge. A plain loop: wasm's rank-5
 * Transpose that would do the same cost several times the convolutions.
 */
function interleave(
    phase: Float32Array, dx: Float32Array, shape: [number, number, number, number], qRows: number,
    qCols: number, [rh, rw]: [number, number], [sh, sw]: [number, number]): void {
  const [batch, height, width, channels] = shape;
  for (let b = 0; b < batch; ++b) {
    for (let qh = 0; qh < qRows; ++qh) {
      const row = qh * sh + rh;
      if (row >= height) break;
      for (let qw = 0; qw < qCols; ++qw) {
        const col = qw * sw + rw;
        if (col >= width) break;
        const from = ((b * qRows + qh) * qCols + qw) * channels;
        const to = ((b * height + row) * width + col) * channels;
        for (let c = 0; c < channels; ++c) dx[to + c] = phase[from + c] as number;
      }
    }
  }
}

/** One phase: a stride-1 convolution of dy with the phase's sub-filter. */
function phaseConv(
    scope: KernelScope, dy: tf.TensorInfo, weights: Float32Array, filterShape: number[], rows: PhaseAxis,
    cols: PhaseAxis, depthwise: boolean): tf.TensorInfo {
  const [, fw, d2, d3] = filterShape as [number, number, number, number];
  const kh = rows.taps.length;
  const kw = cols.taps.length;
  // Conv2D wants the sub-filter [kh, kw, co, ci] (channel axes swapped);
  // depthwise wants [kh, kw, c*m, 1] (the same order as stored).
  const sub = new Float32Array(kh * kw * d2 * d3);
  for (let i = 0; i < kh; ++i) {
    for (let j = 0; j < kw; ++j) {
      const from = ((rows.taps[i] as number) * fw + (cols.taps[j] as number)) * d2 * d3;
      const to = (i * kw + j) * d2 * d3;
      if (depthwise) {
        sub.set(weights.subarray(from, from + d2 * d3), to);
      } else {
        for (let a = 0; a < d2; ++a) {
          for (let b = 0; b < d3; ++b) sub[to + b * d2 + a] = weights[from + a * d3 + b] as number;
        }
      }
    }
  }
  const subShape = depthwise ? [kh, kw, d2 * d3, 1] : [kh, kw, d3, d2];
  const subFilter = scope.adopt(
      {dataId: scope.backend.write(sub, subShape, 'float32'), shape: subShape, dtype: 'float32'});
  const {input, pad} = placeInput(scope, dy, rows.placement, cols.placement);
  const attrs = {strides: [1, 1], dilations: [1, 1], pad, dataFormat: 'NHWC'};
  if (!depthwise) return scope.run('Conv2D', {x: input, filter: subFilter}, attrs);
  const perMultiplier = scope.run('DepthwiseConv2dNative', {x: input, filter: subFilter}, attrs);
  if (d3 === 1) return perMultiplier;
  const [b, h, w] = perMultiplier.shape as [number, number, number, number];
  return view(scope.run('Sum', {x: view(perMultiplier, [b * h * w, d2, d3])}, {axis: [2], keepDims: false}),
      [b, h, w, d2]);
}
