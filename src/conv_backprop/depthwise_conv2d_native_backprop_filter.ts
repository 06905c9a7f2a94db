import * as tf from '@tensorflow/tfjs';

import {filterGradAxis} from './backprop_geometry';
import {allNonEmpty, composedKernelConfig, KernelArgs, pairOf} from './composed_kernel';
import {filterGradLoop, runLoop} from './conv_backprop_loops';
import {KernelScope, view} from './kernel_scope';
import {filterGradChunking, imagesPerSlice, sumOverBatchSlices} from './filter_grad_chunking';
import {placeInput, placements, placementsReadInput, sliceBatch} from './spatial_ops';

/** The forward geometry of a depthwise backprop call (always channels-last). */
export function depthwiseGeometry(
    inShape: number[], filterShape: number[], attrs: tf.NamedAttrMap): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
      inShape as [number, number, number, number],
      filterShape as [number, number, number, number],
      pairOf(attrs['strides'], 'strides'), pairOf(attrs['dilations'], 'dilations'),
      attrs['pad'] as 'same', attrs['dimRoundingMode'] as 'floor' | undefined, true);
}

/**
 * dW[fh, fw, c, m] = sum over b, oh, ow of x[b, ., ., c] * dy[b, oh, ow, c*M + m].
 * Folding the batch into the channels makes it a depthwise convolution of
 * x as [1, h, w, b*c] with dy as the filter [oh, ow, b*c, M] (dilation =
 * stride, step = dilation), followed by a sum over the batch. Done in slices
 * of the batch, as in conv2d_backprop_filter.ts.
 */
function compose({inputs, backend, attrs}: KernelArgs, backendName: string): tf.TensorInfo | null {
  const {x, dy} = inputs as {x: tf.TensorInfo, dy: tf.TensorInfo};
  const filterShape = attrs['filterShape'] as [number, number, number, number];
  const info = depthwiseGeometry(x.shape, filterShape, attrs);
  const [rows, cols] = placements(info, filterGradAxis);
  if (!placementsReadInput(rows, cols) || !allNonEmpty(x.shape, dy.shape)) return null;
  // The composed convolution steps by the dilation and dilates by the stride;
  // DepthwiseConv2dNative kernels (cpu's) may refuse both > 1. Unreachable
  // through tfjs's ops, which refuse that too; the loop handles it.
  const stepped = info.dilationHeight > 1 || info.dilationWidth > 1;
  const spread = info.strideHeight > 1 || info.strideWidth > 1;
  if (stepped && spread) return null;
  const [fh, fw, channels, mult] = filterShape;
  const {batchSize, outHeight, outWidth} = info;
  const chunk = imagesPerSlice(batchSize, outHeight * outWidth * channels * mult, filterGradChunking.depthwise);
  const scope = new KernelScope(backend, backendName);
  try {
    const {input, pad} = placeInput(scope, x, rows, cols);
    const sum = sumOverBatchSlices(scope, batchSize, chunk, (b0, images) => {
      const xT = scope.run('Transpose', {x: sliceBatch(scope, input, b0, images)}, {perm: [1, 2, 0, 3]});
      const dyPart = sliceBatch(scope, dy, b0, images);
      const dyT = scope.run('Transpose',
          {x: view(dyPart, [images, outHeight, outWidth, channels, mult])}, {perm: [1, 2, 0, 3, 4]});
      const perImage = scope.run('DepthwiseConv2dNative', {
        x: view(xT, [1, rows.keep, cols.keep, images * channels]),
        filter: view(dyT, [outHeight, outWidth, images * channels, mult]),
      }, {
        strides: [info.dilationHeight, info.dilationWidth],
        dilations: [info.strideHeight, info.strideWidth], pad,
      });
      return images === 1 ? perImage :
          scope.run('Sum', {x: view(perImage, [fh * fw, images, channels * mult])},
              {axis: [1], keepDims: false});
    });
    return view(scope.keep(sum), filterShape);
  } finally {
    scope.dispose();
  }
}

/**
 * A `DepthwiseConv2dNativeBackpropFilter` kernel for `backendName`, composed
 * from that backend's Transpose, Slice, DepthwiseConv2dNative and Sum
 * kernels. Every stride, dilation, padding and channel multiplier; geometries
 * it cannot compose go to `original` (when given and undilated: the stock
 * kernels ignore dilation) or to a float64-accumulating loop.
 *
 * @example
 * tf.registerKernel(depthwiseConv2dNativeBackpropFilterConfig('wasm', undefined));
 */
export function depthwiseConv2dNativeBackpropFilterConfig(
    backendName: string, original: tf.KernelConfig | undefined): tf.KernelConfig {
  return composedKernelConfig('DepthwiseConv2dNativeBackpropFilter', backendName, compose, loopFallback, original);
}

function loopFallback({inputs, backend, attrs}: KernelArgs): tf.TensorInfo {
  const {x, dy} = inputs as {x: tf.TensorInfo, dy: tf.TensorInfo};
  const info = depthwiseGeometry(x.shape, attrs['filterShape'] as number[], attrs);
  return runLoop(backend, [x, dy], info.filterShape, (xv, dyv) => filterGradLoop(xv, dyv, info, true));
}
