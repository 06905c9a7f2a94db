import * as tf from '@tensorflow/tfjs';

import {depthwiseConv2dNativeBackpropFilterConfig} from '../../src/conv_backprop/depthwise_conv2d_native_backprop_filter';
import {depthwiseConv2dNativeBackpropInputConfig} from '../../src/conv_backprop/depthwise_conv2d_native_backprop_input';
import {BackpropCalls, BackpropCase, describeBackpropKernels} from './backprop_kernel_contract';
import {KernelCall, seeded, spreadFilter} from './reference';

// `filter` is [fh, fw, channels, multiplier].
const CASES: BackpropCase[] = [
  {name: '3x3 same stride 1 multiplier 1', x: [2, 6, 7, 3], filter: [3, 3, 3, 1], strides: 1, pad: 'same'},
  {name: '3x3 same stride 1 multiplier 2', x: [2, 6, 7, 3], filter: [3, 3, 3, 2], strides: 1, pad: 'same'},
  {name: '3x3 same stride 2 multiplier 3', x: [2, 7, 6, 2], filter: [3, 3, 2, 3], strides: 2, pad: 'same'},
  {name: '2x3 valid stride [2, 1]', x: [3, 7, 6, 2], filter: [2, 3, 2, 2], strides: [2, 1], pad: 'valid'},
  {name: 'valid stride 3 batch 1', x: [1, 9, 8, 4], filter: [3, 3, 4, 1], strides: 3, pad: 'valid'},
  {
    name: 'explicit asymmetric pad stride 2', x: [2, 6, 6, 2], filter: [3, 3, 2, 2], strides: 2,
    pad: [[0, 0], [2, 0], [1, 3], [0, 0]],
  },
  {name: 'numeric pad 1 ceil rounding stride 2', x: [2, 6, 6, 2], filter: [3, 3, 2, 1], strides: 2, pad: 1,
    dimRoundingMode: 'ceil'},
  {name: 'dilation 2 same multiplier 2', x: [2, 7, 7, 2], filter: [3, 3, 2, 2], strides: 1, pad: 'same',
    dilations: [2, 2]},
  {name: 'dilation [3, 2] valid', x: [2, 9, 8, 3], filter: [2, 3, 3, 1], strides: 1, pad: 'valid',
    dilations: [3, 2]},
  {name: 'stride 2 and dilation 2 (kernel attributes only)', x: [2, 9, 8, 2], filter: [3, 2, 2, 2], strides: 2,
    pad: 'valid', dilations: [2, 2]},
  {
    name: 'fallback: output reads only padding', x: [2, 2, 3, 2], filter: [1, 1, 2, 2], strides: 10,
    pad: [[0, 0], [5, 0], [0, 0], [0, 0]],
  },
];

function calls(c: BackpropCase): BackpropCalls {
  const info = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, c.dilations ?? 1, c.pad,
      c.dimRoundingMode, true);
  const x = {values: seeded(tf.util.sizeFromShape(c.x), 11), shape: c.x};
  const filter = {values: seeded(tf.util.sizeFromShape(c.filter), 12), shape: c.filter};
  const dy = {values: seeded(tf.util.sizeFromShape(info.outShape), 13), shape: info.outShape};
  const [dh, dw] = c.dilations ?? [1, 1];
  const spread = spreadFilter(filter.values, c.filter, dh, dw);
  const attrs = (dilations: [number, number]): tf.NamedAttrMap => {
    const a: tf.NamedAttrMap = {strides: c.strides, pad: c.pad, dilations};
    if (c.dimRoundingMode != null) a['dimRoundingMode'] = c.dimRoundingMode;
    return a;
  };
  return {
    info, dh, dw, spreadShape: spread.shape,
    filterGrad: {inputs: {x, dy}, attrs: {...attrs([dh, dw]), filterShape: c.filter}} as KernelCall,
    // The stock cpu kernels ignore dilation: their reference runs on the spread filter.
    filterGradRef: {inputs: {x, dy}, attrs: {...attrs([1, 1]), filterShape: spread.shape}} as KernelCall,
    inputGrad: {inputs: {dy, filter}, attrs: {...attrs([dh, dw]), inputShape: c.x}} as KernelCall,
    inputGradRef: {inputs: {dy, filter: spread}, attrs: {...attrs([1, 1]), inputShape: c.x}} as KernelCall,
  };
}

describeBackpropKernels('depthwise', {
  filterGradName: 'DepthwiseConv2dNativeBackpropFilter',
  inputGradName: 'DepthwiseConv2dNativeBackpropInput',
  filterGradConfig: depthwiseConv2dNativeBackpropFilterConfig,
  inputGradConfig: depthwiseConv2dNativeBackpropInputConfig,
}, CASES, calls);
