import * as tf from '@tensorflow/tfjs';

import {inputGradAxis} from './backprop_geometry';
import {allNonEmpty, composedKernelConfig, KernelArgs} from './composed_kernel';
import {usePhases} from './conv2d_backprop_input';
import {inputGradLoop, runLoop} from './conv_backprop_loops';
import {depthwiseGeometry} from './depthwise_conv2d_native_backprop_filter';
import {KernelScope, view} from './kernel_scope';
import {stridedInputGrad} from './strided_input_grad';
import {dilateByStride, placeInput, placements, placementsReadInput} from './spatial_ops';

/**
 * dx[b, ., ., c] sums, over m, a depthwise convolution of dy (padded) with the
 * flipped filter seen as [fh, fw, c*M, 1]. Strided calls go by output phase
 * (strided_input_grad.ts); a stride together with a dilation (kernel
 * attributes only: tfjs's ops refuse it) convolves the stride-dilated dy.
 */
function compose({inputs, backend, attrs}: KernelArgs, backendName: string): tf.TensorInfo | null {
  const {dy, filter} = inputs as {dy: tf.TensorInfo, filter: tf.TensorInfo};
  const info = depthwiseGeometry(attrs['inputShape'] as number[], filter.shape, attrs);
  const [rows, cols] = placements(info, inputGradAxis);
  if (!placementsReadInput(rows, cols) || !allNonEmpty(dy.shape, filter.shape, info.inShape)) return null;
  const [fh, fw, channels, mult] = filter.shape as [number, number, number, number];
  const scope = new KernelScope(backend, backendName);
  try {
    if (usePhases(info)) return scope.keep(stridedInputGrad(scope, dy, filter, info, true));
    const spread = dilateByStride(scope, dy, info.strideHeight, info.strideWidth);
    const {input, pad} = placeInput(scope, spread, rows, cols);
    const flipped = scope.run('Reverse', {x: filter}, {dims: [0, 1]});
    const perMultiplier = scope.run('DepthwiseConv2dNative', {
      x: input, filter: view(flipped, [fh, fw, channels * mult, 1]),
    }, {strides: [1, 1], dilations: [info.dilationHeight, info.dilationWidth], pad});
    const [batch, height, width] = info.inShape;
    const summed = mult === 1 ? perMultiplier :
        scope.run('Sum', {x: view(perMultiplier, [batch * height * width, channels, mult])},
            {axis: [2], keepDims: false});
    return view(scope.keep(summed), info.inShape);
  } finally {
    scope.dispose();
  }
}

/**
 * A `DepthwiseConv2dNativeBackpropInput` kernel for `backendName`, composed
 * from that backend's PadV2, Slice, Reverse, DepthwiseConv2dNative and Sum
 * kernels; fallbacks as in `depthwiseConv2dNativeBackpropFilterConfig`.
 *
 * @example
 * tf.registerKernel(depthwiseConv2dNativeBackpropInputConfig('wasm', undefined));
 */
export function depthwiseConv2dNativeBackpropInputConfig(
    backendName: string, original: tf.KernelConfig | undefined): tf.KernelConfig {
  return composedKernelConfig('DepthwiseConv2dNativeBackpropInput', backendName, compose, loopFallback, original);
}

function loopFallback({inputs, backend, attrs}: KernelArgs): tf.TensorInfo {
  const {dy, filter} = inputs as {dy: tf.TensorInfo, filter: tf.TensorInfo};
  const info = depthwiseGeometry(attrs['inputShape'] as number[], filter.shape, attrs);
  return runLoop(backend, [dy, filter], info.inShape, (dyv, wv) => inputGradLoop(dyv, wv, info, true));
}
