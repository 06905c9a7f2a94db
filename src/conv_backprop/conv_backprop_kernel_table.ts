import * as tf from '@tensorflow/tfjs';

import {conv2dBackpropFilterConfig} from './conv2d_backprop_filter';
import {conv2dBackpropInputConfig} from './conv2d_backprop_input';
import {depthwiseConv2dNativeBackpropFilterConfig} from './depthwise_conv2d_native_backprop_filter';
import {depthwiseConv2dNativeBackpropInputConfig} from './depthwise_conv2d_native_backprop_input';
import {DILATED_KERNEL_NAMES} from './dilated_conv_gradients';

/**
 * What to do with a composed kernel on a backend:
 * - `'add'`: register it only where the backend has none (never replace);
 * - `'replace'`: also replace the backend's own kernel, keeping that as the
 *   fallback. Only for pairs measured faster (bench/conv_backprop_bench.ts)
 *   and equal within float32 rounding (test/conv_backprop/).
 */
export type ConvBackpropMode = 'add' | 'replace';

/** One row of the registration table. */
export interface ConvBackpropEntry {
  kernelName: string;
  backendName: string;
  mode: ConvBackpropMode;
  make: (backendName: string, original: tf.KernelConfig | undefined) => tf.KernelConfig;
}

type Make = ConvBackpropEntry['make'];

/** The same composed kernel under a private name (see dilated_conv_gradients.ts). */
function renamed(make: Make, kernelName: string): Make {
  return (backendName, original) => ({...make(backendName, original), kernelName});
}

const DILATED_KERNELS: ReadonlyArray<[string, Make]> = [
  [DILATED_KERNEL_NAMES.conv2dFilter, conv2dBackpropFilterConfig],
  [DILATED_KERNEL_NAMES.conv2dInput, conv2dBackpropInputConfig],
  [DILATED_KERNEL_NAMES.depthwiseFilter, depthwiseConv2dNativeBackpropFilterConfig],
  [DILATED_KERNEL_NAMES.depthwiseInput, depthwiseConv2dNativeBackpropInputConfig],
];

/** The dilation-aware composed kernels, under their private names, on cpu and wasm. */
const DILATED_ENTRIES: ConvBackpropEntry[] = ['cpu', 'wasm'].flatMap((backendName) =>
  DILATED_KERNELS.map(([kernelName, make]) => ({
    kernelName, backendName, mode: 'add' as const, make: renamed(make, kernelName),
  })));

/**
 * The single table of what is registered where. Figures: CPU ms at batch 128
 * from bench/conv_backprop_bench.ts (one run on the 2-core dev machine; stock
 * cpu filter gradients timed at batch 8 and scaled). Every composed kernel is
 * checked against the stock cpu kernel within the float32 accumulation bound
 * (test/conv_backprop/).
 * - wasm has no Conv2DBackpropFilter (3x3 32->64 on 26x26: 204 ms composed)
 *   and no depthwise backprop kernels: added.
 * - wasm's Conv2DBackpropInput is a scalar C++ loop; the composed one runs on
 *   XNNPACK's Conv2D: 1,226 -> 110 ms (stride 1), 416 -> 61 (stride 2),
 *   197 -> 83 (stride 3): replaced.
 * - cpu's Conv2DBackpropFilter and DepthwiseConv2dNativeBackpropFilter read
 *   every term through TensorBuffer.get: 325,513 -> 6,716 ms and
 *   9,538 -> 1,139 ms composed over cpu's Conv2D: replaced.
 * - cpu's Conv2DBackpropInput and DepthwiseConv2dNativeBackpropInput are
 *   faster than the composition over cpu's forward kernels (composed/stock
 *   0.2x-0.9x): kept.
 * - Conv3DBackpropFilterV2 / Conv3DBackpropInputV2 exist on both: untouched.
 * - Under private names (DILATED_KERNEL_NAMES), on cpu and wasm: the same
 *   compositions, used by the dilation-aware gradients of Conv2D and
 *   DepthwiseConv2dNative.
 *
 * @example
 * CONV_BACKPROP_TABLE.filter((e) => e.backendName === 'wasm').map((e) => e.kernelName);
 */
export const CONV_BACKPROP_TABLE: readonly ConvBackpropEntry[] = [
  {kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', mode: 'add', make: conv2dBackpropFilterConfig},
  {kernelName: 'Conv2DBackpropInput', backendName: 'wasm', mode: 'replace', make: conv2dBackpropInputConfig},
  {
    kernelName: 'DepthwiseConv2dNativeBackpropFilter', backendName: 'wasm', mode: 'add',
    make: depthwiseConv2dNativeBackpropFilterConfig,
  },
  {
    kernelName: 'DepthwiseConv2dNativeBackpropInput', backendName: 'wasm', mode: 'add',
    make: depthwiseConv2dNativeBackpropInputConfig,
  },
  {kernelName: 'Conv2DBackpropFilter', backendName: 'cpu', mode: 'replace', make: conv2dBackpropFilterConfig},
  {
    kernelName: 'DepthwiseConv2dNativeBackpropFilter', backendName: 'cpu', mode: 'replace',
    make: depthwiseConv2dNativeBackpropFilterConfig,
  },
  ...DILATED_ENTRIES,
];
