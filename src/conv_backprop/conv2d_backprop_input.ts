import * as tf from '@tensorflow/tfjs';

import {inputGradAxis} from './backprop_geometry';
import {allNonEmpty, composedKernelConfig, KernelArgs} from './composed_kernel';
import {conv2dGeometry} from './conv2d_backprop_filter';
import {inputGradLoop, runLoop} from './conv_backprop_loops';
import {KernelScope} from './kernel_scope';
import {stridedInputGrad} from './strided_input_grad';
import {dilateByStride, placeInput, placements, placementsReadInput, toChannelsFirst, toChannelsLast} from './spatial_ops';

/** The forward geometry of a Conv2DBackpropInput call, channels-last. */
function geometry(attrs: tf.NamedAttrMap, filterShape: number[]): tf.backend_util.Conv2DInfo {
  const [b, d1, d2, d3] = attrs['inputShape'] as [number, number, number, number];
  return conv2dGeometry(attrs['dataFormat'] === 'NCHW' ? [b, d2, d3, d1] : [b, d1, d2, d3], filterShape, attrs);
}

/**
 * Strided, undilated calls go by output phase (strided_input_grad.ts): the
 * stride-dilated dy below would spend all but 1 / (sh * sw) of its products
 * on zeros.
 */
export function usePhases(info: tf.backend_util.Conv2DInfo): boolean {
  return (info.strideHeight > 1 || info.strideWidth > 1) && info.dilationHeight === 1 &&
      info.dilationWidth === 1;
}

/**
 * dx is the forward convolution of dy, dilated by the stride and padded, with
 * the filter flipped in both spatial axes and its channel axes swapped
 * ([fh, fw, co, ci]), dilated by the forward dilation, stride 1. Strided,
 * undilated calls (all that tfjs's ops make) go by output phase instead.
 */
function compose({inputs, backend, attrs}: KernelArgs, backendName: string): tf.TensorInfo | null {
  const {dy, filter} = inputs as {dy: tf.TensorInfo, filter: tf.TensorInfo};
  const channelsFirst = attrs['dataFormat'] === 'NCHW';
  const scope = new KernelScope(backend, backendName);
  try {
    const info = geometry(attrs, filter.shape);
    const [rows, cols] = placements(info, inputGradAxis);
    if (!placementsReadInput(rows, cols) || !allNonEmpty(dy.shape, filter.shape, info.inShape)) return null;
    const dy4 = channelsFirst ? toChannelsLast(scope, dy) : dy;
    if (usePhases(info)) {
      const dx = stridedInputGrad(scope, dy4, filter, info, false);
      return scope.keep(channelsFirst ? toChannelsFirst(scope, dx) : dx);
    }
    const spread = dilateByStride(scope, dy4, info.strideHeight, info.strideWidth);
    const {input, pad} = placeInput(scope, spread, rows, cols);
    const flipped = scope.run('Reverse', {x: filter}, {dims: [0, 1]});
    const swapped = scope.run('Transpose', {x: flipped}, {perm: [0, 1, 3, 2]});
    const dx = scope.run('Conv2D', {x: input, filter: swapped}, {
      strides: [1, 1], dilations: [info.dilationHeight, info.dilationWidth], pad,
      dataFormat: 'NHWC',
    });
    return scope.keep(channelsFirst ? toChannelsFirst(scope, dx) : dx);
  } finally {
    scope.dispose();
  }
}

/**
 * A `Conv2DBackpropInput` kernel for `backendName`, composed from that
 * backend's Conv2D, Slice, Reverse, Transpose (and PadV2) kernels; fallbacks
 * as in `conv2dBackpropFilterConfig`. Reads an optional `dilations` attribute.
 *
 * @example
 * tf.registerKernel(conv2dBackpropInputConfig('wasm', tf.getKernel('Conv2DBackpropInput', 'wasm')));
 */
export function conv2dBackpropInputConfig(
    backendName: string, original: tf.KernelConfig | undefined): tf.KernelConfig {
  return composedKernelConfig('Conv2DBackpropInput', backendName, compose, loopFallback, original);
}

function loopFallback({inputs, backend, attrs}: KernelArgs, backendName: string): tf.TensorInfo {
  const {dy, filter} = inputs as {dy: tf.TensorInfo, filter: tf.TensorInfo};
  const scope = new KernelScope(backend, backendName);
  try {
    const channelsFirst = attrs['dataFormat'] === 'NCHW';
    const dy4 = channelsFirst ? toChannelsLast(scope, dy) : dy;
    const info = geometry(attrs, filter.shape);
    const dx = scope.adopt(runLoop(backend, [dy4, filter], info.inShape,
        (dyv, wv) => inputGradLoop(dyv, wv, info, false)));
    return scope.keep(channelsFirst ? toChannelsFirst(scope, dx) : dx);
  } finally {
    scope.dispose();
  }
}
