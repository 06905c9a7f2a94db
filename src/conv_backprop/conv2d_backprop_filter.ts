import * as tf from '@tensorflow/tfjs';

import {filterGradAxis} from './backprop_geometry';
import {allNonEmpty, channelsLastPad, composedKernelConfig, KernelArgs, pairOf} from './composed_kernel';
import {filterGradLoop, runLoop} from './conv_backprop_loops';
import {filterGradChunking, imagesPerSlice, sumOverBatchSlices} from './filter_grad_chunking';
import {KernelScope, view} from './kernel_scope';
import {placeInput, placements, placementsReadInput, sliceBatch, toChannelsLast} from './spatial_ops';

/**
 * The forward geometry of a Conv2D backprop call, channels-last, from the
 * channels-last input shape (the data format only reorders an explicit pad).
 */
export function conv2dGeometry(
    inShapeNHWC: number[], filterShape: number[], attrs: tf.NamedAttrMap): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
      inShapeNHWC as [number, number, number, number],
      filterShape as [number, number, number, number],
      pairOf(attrs['strides'], 'strides'),
      // Not a stock attribute: the dilation-aware gradient
      // (dilated_conv_gradients.ts) passes it; stock callers leave it unset.
      pairOf(attrs['dilations'], 'dilations'),
      channelsLastPad(attrs['pad'], attrs['dataFormat'] === 'NCHW'),
      attrs['dimRoundingMode'] as 'floor' | undefined, false, 'channelsLast');
}

/**
 * dW[fh, fw, ci, co] = sum over b, oh, ow of x[b, oh*sh + fh*dh - pt, ., ci] * dy[b, oh, ow, co]
 * is itself a convolution: input x transposed to [ci, h, w, b], filter dy
 * transposed to [oh, ow, b, co] with dilation = stride, step = dilation. The
 * backend's forward Conv2D (XNNPACK on wasm) does the work, one slice of the
 * batch at a time, and the slices' results are added.
 */
function compose({inputs, backend, attrs}: KernelArgs, backendName: string): tf.TensorInfo | null {
  const scope = new KernelScope(backend, backendName);
  try {
    const {x4, dy4, info} = channelsLastCall(scope, inputs, attrs);
    const [rows, cols] = placements(info, filterGradAxis);
    if (!placementsReadInput(rows, cols) || !allNonEmpty(x4.shape, dy4.shape)) return null;
    const {batchSize, outHeight, outWidth, outChannels, inChannels} = info;
    const chunk = imagesPerSlice(batchSize, outHeight * outWidth * outChannels, filterGradChunking.conv);
    const {input, pad} = placeInput(scope, x4, rows, cols);
    const sum = sumOverBatchSlices(scope, batchSize, chunk, (b0, images) => {
      const xPart = sliceBatch(scope, input, b0, images);
      const dyPart = sliceBatch(scope, dy4, b0, images);
      const xT = scope.run('Transpose', {x: xPart}, {perm: [3, 1, 2, 0]});
      const dyT = scope.run('Transpose', {x: dyPart}, {perm: [1, 2, 0, 3]});
      return scope.run('Conv2D', {x: xT, filter: dyT}, {
        strides: [info.dilationHeight, info.dilationWidth],
        dilations: [info.strideHeight, info.strideWidth],
        pad, dataFormat: 'NHWC',
      });
    });
    const grad = view(sum, [inChannels, info.filterHeight, info.filterWidth, outChannels]);
    return scope.keep(scope.run('Transpose', {x: grad}, {perm: [1, 2, 0, 3]}));
  } finally {
    scope.dispose();
  }
}

/**
 * A `Conv2DBackpropFilter` kernel for `backendName`, composed from that
 * backend's Transpose, Slice and Conv2D kernels. Geometries it cannot compose
 * (an input none of whose rows is read, empty tensors) go to `original` when
 * given and the call has no dilation, otherwise to a float64-accumulating loop.
 *
 * Besides the stock attributes it reads an optional `dilations`, so that the
 * gradient of a dilated Conv2D can use it.
 *
 * @example
 * tf.registerKernel(conv2dBackpropFilterConfig('wasm', undefined));
 */
export function conv2dBackpropFilterConfig(
    backendName: string, original: tf.KernelConfig | undefined): tf.KernelConfig {
  return composedKernelConfig('Conv2DBackpropFilter', backendName, compose, loopFallback, original);
}

function loopFallback({inputs, backend, attrs}: KernelArgs, backendName: string): tf.TensorInfo {
  const scope = new KernelScope(backend, backendName);
  try {
    const {x4, dy4, info} = channelsLastCall(scope, inputs, attrs);
    return runLoop(backend, [x4, dy4], info.filterShape,
        (xv, dyv) => filterGradLoop(xv, dyv, info, false));
  } finally {
    scope.dispose();
  }
}

/** x and dy channels-last (transposed in `scope` for NCHW), and the call's geometry. */
function channelsLastCall(scope: KernelScope, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap):
    {x4: tf.TensorInfo, dy4: tf.TensorInfo, info: tf.backend_util.Conv2DInfo} {
  const {x, dy} = inputs as {x: tf.TensorInfo, dy: tf.TensorInfo};
  const channelsFirst = attrs['dataFormat'] === 'NCHW';
  const x4 = channelsFirst ? toChannelsLast(scope, x) : x;
  const dy4 = channelsFirst ? toChannelsLast(scope, dy) : dy;
  return {x4, dy4, info: conv2dGeometry(x4.shape, attrs['filterShape'] as number[], attrs)};
}
