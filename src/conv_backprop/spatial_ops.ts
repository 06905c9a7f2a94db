import * as tf from '@tensorflow/tfjs';

import {isWasmBackendView} from '../backend_views';
import {AxisPlacement, ConvAxis} from './backprop_geometry';
import {KernelScope, view} from './kernel_scope';

/** Explicit 4-D NHWC padding as the Conv2D kernels take it. */
export type ExplicitPad = [[number, number], [number, number], [number, number], [number, number]];

/**
 * The two spatial axes of a channels-last `Conv2DInfo`, as `ConvAxis`es.
 *
 * @example
 * const [rows, cols] = convAxes(tf.backend_util.computeConv2DInfo(
 *     [1, 5, 5, 1], [3, 3, 1, 1], 1, 1, 'same'));
 */
export function convAxes(info: tf.backend_util.Conv2DInfo): [ConvAxis, ConvAxis] {
  return [
    {
      inSize: info.inHeight, outSize: info.outHeight, filterSize: info.filterHeight,
      stride: info.strideHeight, dilation: info.dilationHeight, padBefore: info.padInfo.top,
    },
    {
      inSize: info.inWidth, outSize: info.outWidth, filterSize: info.filterWidth,
      stride: info.strideWidth, dilation: info.dilationWidth, padBefore: info.padInfo.left,
    },
  ];
}

/**
 * How a composed convolution presents its input along rows and columns:
 * `place` (`filterGradAxis` or `inputGradAxis`) applied to both axes of `info`.
 *
 * @example
 * const [rows, cols] = placements(info, inputGradAxis);
 */
export function placements(
    info: tf.backend_util.Conv2DInfo, place: (a: ConvAxis) => AxisPlacement): [AxisPlacement, AxisPlacement] {
  const [rowAxis, colAxis] = convAxes(info);
  return [place(rowAxis), place(colAxis)];
}

/** True when both placements read at least one row and column of their input. */
export function placementsReadInput(rows: AxisPlacement, cols: AxisPlacement): boolean {
  return rows.keep > 0 && cols.keep > 0;
}

/**
 * Crops an NHWC tensor as `rows`/`cols` say (a Slice, only when needed) and
 * returns it with the explicit zero padding the convolution adds itself.
 *
 * @example
 * const {input, pad} = placeInput(scope, x, rows, cols);
 * scope.run('Conv2D', {x: input, filter}, {strides, dilations, pad});
 */
export function placeInput(
    scope: KernelScope, t: tf.TensorInfo, rows: AxisPlacement,
    cols: AxisPlacement): {input: tf.TensorInfo, pad: ExplicitPad} {
  const [batch, height, width, channels] = t.shape as [number, number, number, number];
  const needsCrop = rows.cropBefore > 0 || cols.cropBefore > 0 || rows.keep < height ||
      cols.keep < width;
  const input = needsCrop ?
      scope.run('Slice', {x: t}, {
        begin: [0, rows.cropBefore, cols.cropBefore, 0],
        size: [batch, rows.keep, cols.keep, channels],
      }) :
      t;
  return {
    input,
    pad: [[0, 0], [rows.padBefore, rows.padAfter], [cols.padBefore, cols.padAfter], [0, 0]],
  };
}

/**
 * Inserts `stride - 1` zero rows (columns) after every row (column) of an
 * NHWC tensor: shape `[b, h * sh, w * sw, c]`. One PadV2 over a 5-D view, so
 * no custom kernel is needed.
 *
 * @example
 * const dyDilated = dilateByStride(scope, dy, 2, 2);
 */
export function dilateByStride(
    scope: KernelScope, t: tf.TensorInfo, strideHeight: number,
    strideWidth: number): tf.TensorInfo {
  if (strideHeight === 1 && strideWidth === 1) return t;
  const [batch, height, width, channels] = t.shape as [number, number, number, number];
  const spread = scope.run('PadV2', {x: view(t, [batch * height, 1, width, 1, channels])}, {
    paddings: [[0, 0], [0, strideHeight - 1], [0, 0], [0, strideWidth - 1], [0, 0]],
    constantValue: 0,
  });
  return view(spread, [batch, height * strideHeight, width * strideWidth, channels]);
}

/**
 * NCHW <-> NHWC. The composed kernels work channels-last (the wasm Conv2D
 * refuses channels-first) and convert at the edges.
 */
export function toChannelsLast(scope: KernelScope, t: tf.TensorInfo): tf.TensorInfo {
  return scope.run('Transpose', {x: t}, {perm: [0, 2, 3, 1]});
}

/** Inverse of `toChannelsLast`. */
export function toChannelsFirst(scope: KernelScope, t: tf.TensorInfo): tf.TensorInfo {
  return scope.run('Transpose', {x: t}, {perm: [0, 3, 1, 2]});
}

/**
 * Images `[b0, b0 + count)` of a tensor (a contiguous block of its buffer).
 * On the wasm backend this is one memcpy on the heap: wasm's Slice kernel
 * first copies the whole input out of the heap, which at batch 128 cost more
 * than the convolutions it feeds.
 *
 * @example
 * const firstEight = sliceBatch(scope, x, 0, 8);
 */
export function sliceBatch(scope: KernelScope, t: tf.TensorInfo, b0: number, count: number): tf.TensorInfo {
  const [batch, ...rest] = t.shape as [number, ...number[]];
  if (b0 === 0 && count === batch) return t;
  const backend: unknown = scope.backend;
  if (!isWasmBackendView(backend) || t.dtype !== 'float32') {
    return scope.run('Slice', {x: t}, {begin: [b0, ...rest.map(() => 0)], size: [count, ...rest]});
  }
  const out = scope.adopt(backend.makeOutput([count, ...rest], t.dtype));
  // Views only after makeOutput: a heap growth detaches earlier ones.
  const inner = rest.reduce((a, d) => a * d, 1);
  backend.typedArrayFromHeap(out).set(
      backend.typedArrayFromHeap(t).subarray(b0 * inner, (b0 + count) * inner));
  return out;
}
