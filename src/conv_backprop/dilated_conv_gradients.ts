import * as tf from '@tensorflow/tfjs';

import {isDilated, pairOf} from './composed_kernel';

/**
 * Private kernel names of the composed backprop kernels that honour a
 * `dilations` attribute. The stock names keep their stock meaning (the stock
 * kernels have no dilation), so the dilated gradient needs names of its own,
 * registered only where the composition runs.
 */
export const DILATED_KERNEL_NAMES = {
  conv2dFilter: 'MixedPrecisionConv2DBackpropFilterDilated',
  conv2dInput: 'MixedPrecisionConv2DBackpropInputDilated',
  depthwiseFilter: 'MixedPrecisionDepthwiseConv2dNativeBackpropFilterDilated',
  depthwiseInput: 'MixedPrecisionDepthwiseConv2dNativeBackpropInputDilated',
} as const;

/** The backprop kernels a gradient runs. */
interface BackpropKernelNames {
  filter: string;
  input: string;
}

/** Throws tfjs's refusal, extended with where dilation is supported, unless the current backend has `kernels`. */
function checkDilatedSupport(op: string, dilations: unknown, kernels: BackpropKernelNames): void {
  const backendName = tf.getBackend();
  if (tf.getKernel(kernels.filter, backendName) != null && tf.getKernel(kernels.input, backendName) != null) return;
  throw new Error(
      `Error in gradient of ${op}: dilation rates greater than 1 are not yet supported in gradients ` +
      `on backend '${backendName}'. Got dilations '${String(dilations)}'. tfjs-mixed-precision supports ` +
      `them on the 'cpu' and 'wasm' backends; use one of those or dilations 1.`);
}

/** Attributes without undefined values (dimRoundingMode is optional). */
function defined(attrs: Record<string, unknown>): tf.NamedAttrMap {
  return Object.fromEntries(Object.entries(attrs).filter(([, v]) => v !== undefined)) as tf.NamedAttrMap;
}

/** Both gradients through `kernels`, with the forward call's attributes `common`. */
function backpropGrads(
    kernels: BackpropKernelNames, x: tf.Tensor4D, filter: tf.Tensor4D, dy: tf.Tensor,
    common: Record<string, unknown>): {x: () => tf.Tensor, filter: () => tf.Tensor} {
  return {
    x: () => tf.engine().runKernel(kernels.input, {dy, filter},
        defined({...common, inputShape: x.shape})) as tf.Tensor,
    filter: () => tf.engine().runKernel(kernels.filter, {x, dy},
        defined({...common, filterShape: filter.shape})) as tf.Tensor,
  };
}

/**
 * Gradient of Conv2D that also handles dilation rates > 1, where tfjs's own
 * gradient refuses them. Without dilation it runs exactly the kernels tfjs's
 * gradient runs (the backend's Conv2DBackpropInput/Filter, dimRoundingMode
 * passed on as well); with dilation it runs the composed kernels under
 * `DILATED_KERNEL_NAMES`, on backends where those are registered (cpu, wasm),
 * and elsewhere throws tfjs's message.
 *
 * @example
 * tf.registerGradient(conv2dGradConfig);
 * tf.grad((w: tf.Tensor4D) => tf.conv2d(x, w, 1, 'same', 'NHWC', 2).sum())(w);
 */
export const conv2dGradConfig: tf.GradConfig = {
  kernelName: 'Conv2D',
  inputsToSave: ['x', 'filter'],
  gradFunc: (dy, saved, attrs) => {
    const [x, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
    const {dilations, strides, pad, dataFormat, dimRoundingMode} = attrs;
    const dilated = isDilated(dilations);
    const kernels = dilated ?
        {filter: DILATED_KERNEL_NAMES.conv2dFilter, input: DILATED_KERNEL_NAMES.conv2dInput} :
        {filter: 'Conv2DBackpropFilter', input: 'Conv2DBackpropInput'};
    if (dilated) checkDilatedSupport('conv2D', dilations, kernels);
    const common = {strides, pad, dataFormat, dimRoundingMode, dilations: dilated ? dilations : undefined};
    return backpropGrads(kernels, x, filter, dy as tf.Tensor, common);
  },
};

/**
 * Gradient of DepthwiseConv2dNative that also handles dilation rates > 1
 * (with strides 1, as the forward op requires); otherwise as tfjs's.
 *
 * @example
 * tf.registerGradient(depthwiseConv2dNativeGradConfig);
 */
export const depthwiseConv2dNativeGradConfig: tf.GradConfig = {
  kernelName: 'DepthwiseConv2dNative',
  inputsToSave: ['x', 'filter'],
  gradFunc: (dy, saved, attrs) => {
    const [x, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
    const {dilations, strides, pad, dimRoundingMode} = attrs;
    const $dilations = dilations ?? [1, 1];
    if (x.rank !== 4 || filter.rank !== 4 || x.shape[3] !== filter.shape[2]) {
      throw new Error(
          `Error in gradient of depthwiseConv2dNative: x [${x.shape}] and filter [${filter.shape}] must be ` +
          'rank 4 with x.shape[3] equal to filter.shape[2].');
    }
    const dilated = isDilated($dilations);
    if (dilated && pairOf(strides, 'strides').some((s) => s !== 1)) {
      throw new Error(
          'Error in gradient of depthwiseConv2d: either strides or dilations must be 1. ' +
          `Got strides ${String(strides)} and dilations '${String($dilations)}'.`);
    }
    const kernels = dilated ?
        {filter: DILATED_KERNEL_NAMES.depthwiseFilter, input: DILATED_KERNEL_NAMES.depthwiseInput} :
        {filter: 'DepthwiseConv2dNativeBackpropFilter', input: 'DepthwiseConv2dNativeBackpropInput'};
    if (dilated) checkDilatedSupport('depthwiseConv2dNative', $dilations, kernels);
    const common = {strides, pad, dimRoundingMode, dilations: $dilations};
    return backpropGrads(kernels, x, filter, dy as tf.Tensor, common);
  },
};
