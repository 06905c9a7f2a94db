import * as tf from '@tensorflow/tfjs';

import {KernelScope, view} from './kernel_scope';

/**
 * Images per slice of the batch in the composed filter gradients.
 *
 * The composed convolution's filter is dy (oh * ow * images * channels
 * floats), and XNNPACK re-reads its packed filter once per block of output
 * rows; sliced so that this filter stays near these sizes it stays in cache.
 * Measured at batch 128 on wasm against one call over the whole batch: the
 * 3x3 32->64 conv dW 234 -> 134 CPU ms at 2^18 floats (2^16: 226, 2^20:
 * 158); a 3x3 depthwise dW over 28x28x32 with multiplier 2, about 1,100 ->
 * 110 ms at 2^16. Slicing only pays with a cheap slice: see `sliceBatch`.
 * Mutable so that tests and experiments can change it.
 *
 * @example
 * imagesPerSlice(128, 24 * 24 * 64, filterGradChunking.conv); // 7
 */
export const filterGradChunking = {conv: 1 << 18, depthwise: 1 << 16};

/** How many images to put in one slice, at least 1 and at most `batch`. */
export function imagesPerSlice(batch: number, floatsPerImage: number, targetFloats: number): number {
  return Math.max(1, Math.min(batch, Math.floor(targetFloats / floatsPerImage)));
}

/**
 * Adds up `part(b0, images)` over the batch, `chunk` images at a time, with
 * the backend's Add. A part may come in another shape of the same size as
 * the first; the sum keeps the first's shape.
 *
 * @example
 * const dw = sumOverBatchSlices(scope, 128, 7, (b0, images) => convolveSlice(b0, images));
 */
export function sumOverBatchSlices(
    scope: KernelScope, batchSize: number, chunk: number,
    part: (b0: number, images: number) => tf.TensorInfo): tf.TensorInfo {
  let sum = part(0, Math.min(chunk, batchSize));
  for (let b0 = chunk; b0 < batchSize; b0 += chunk) {
    sum = scope.run('Add', {a: sum, b: view(part(b0, Math.min(chunk, batchSize - b0)), sum.shape)});
  }
  return sum;
}
