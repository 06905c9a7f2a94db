import * as tf from '@tensorflow/tfjs';

import {conv2dBackpropFilterConfig} from '../../src/conv_backprop/conv2d_backprop_filter';
import {conv2dBackpropInputConfig} from '../../src/conv_backprop/conv2d_backprop_input';
import {BackpropCalls, BackpropCase, describeBackpropKernels} from './backprop_kernel_contract';
import {KernelCall, seeded, spreadFilter} from './reference';

/** `x` is the input shape in the case's data format. */
interface Case extends BackpropCase {
  dataFormat?: 'NHWC' | 'NCHW';
}

const CASES: Case[] = [
  {name: '3x3 same stride 1', x: [2, 7, 6, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same'},
  {name: '3x3 same stride 2', x: [2, 7, 6, 3], filter: [3, 3, 3, 4], strides: 2, pad: 'same'},
  {name: '3x2 valid stride 2 (unread last row)', x: [2, 7, 6, 3], filter: [3, 2, 3, 4], strides: 2, pad: 'valid'},
  {name: '3x3 valid stride 3 batch 1', x: [1, 9, 8, 2], filter: [3, 3, 2, 2], strides: 3, pad: 'valid'},
  {name: 'strides [1, 2] same', x: [2, 6, 7, 2], filter: [2, 3, 2, 3], strides: [1, 2], pad: 'same'},
  {
    name: 'explicit asymmetric pad stride 2', x: [2, 6, 6, 3], filter: [3, 3, 3, 2], strides: 2,
    pad: [[0, 0], [1, 2], [0, 3], [0, 0]],
  },
  {name: 'numeric pad 2', x: [2, 6, 6, 3], filter: [3, 3, 3, 2], strides: 1, pad: 2},
  {
    name: 'numeric pad 1 stride 2 ceil rounding', x: [2, 6, 6, 2], filter: [3, 3, 2, 2], strides: 2, pad: 1,
    dimRoundingMode: 'ceil',
  },
  {name: '1x1 stride 2 valid', x: [3, 5, 5, 4], filter: [1, 1, 4, 3], strides: 2, pad: 'valid'},
  {name: '5x5 filter larger than input, same', x: [1, 2, 3, 2], filter: [5, 5, 2, 3], strides: 1, pad: 'same'},
  {name: 'NCHW same stride 2', x: [2, 3, 7, 6], filter: [3, 3, 3, 4], strides: 2, pad: 'same', dataFormat: 'NCHW'},
  {
    name: 'NCHW explicit pad', x: [2, 2, 5, 6], filter: [3, 2, 2, 3], strides: 1, dataFormat: 'NCHW',
    pad: [[0, 0], [0, 0], [2, 1], [1, 0]],
  },
  {name: 'dilation 2 same', x: [2, 7, 7, 2], filter: [3, 3, 2, 3], strides: 1, pad: 'same', dilations: [2, 2]},
  {name: 'dilation [2, 3] valid', x: [2, 8, 9, 2], filter: [2, 3, 2, 2], strides: 1, pad: 'valid', dilations: [2, 3]},
  {
    name: 'dilation 2 explicit pad', x: [1, 6, 6, 3], filter: [3, 3, 3, 2], strides: 1, dilations: [2, 2],
    pad: [[0, 0], [3, 0], [1, 2], [0, 0]],
  },
  {
    name: 'NCHW dilation 2 same', x: [2, 2, 7, 7], filter: [3, 3, 2, 3], strides: 1, pad: 'same',
    dataFormat: 'NCHW', dilations: [2, 2],
  },
  {
    // tfjs's ops refuse stride and dilation both > 1, but the kernels take
    // any attributes: this is the path that convolves a stride-dilated dy.
    name: 'stride 2 and dilation 2 (kernel attributes only)', x: [2, 9, 8, 2], filter: [2, 3, 2, 3],
    strides: 2, pad: 'same', dilations: [2, 2],
  },
  {
    // Every output row reads only padding: the composition does not apply and
    // the fallback (loop / stock kernel) answers.
    name: 'fallback: output reads only padding', x: [2, 2, 3, 2], filter: [1, 1, 2, 2], strides: 10,
    pad: [[0, 0], [5, 0], [0, 0], [0, 0]],
  },
];

function geometry(c: Case): tf.backend_util.Conv2DInfo {
  const channelsFirst = c.dataFormat === 'NCHW';
  return tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, c.dilations ?? 1, c.pad,
      c.dimRoundingMode, false, channelsFirst ? 'channelsFirst' : 'channelsLast');
}

function commonAttrs(c: Case): tf.NamedAttrMap {
  const attrs: tf.NamedAttrMap = {strides: c.strides, pad: c.pad, dataFormat: c.dataFormat ?? 'NHWC'};
  if (c.dimRoundingMode != null) attrs['dimRoundingMode'] = c.dimRoundingMode;
  return attrs;
}

function calls(c: Case): BackpropCalls {
  const info = geometry(c);
  const x = {values: seeded(tf.util.sizeFromShape(c.x), 1), shape: c.x};
  const filter = {values: seeded(tf.util.sizeFromShape(c.filter), 2), shape: c.filter};
  const dy = {values: seeded(tf.util.sizeFromShape(info.outShape), 3), shape: info.outShape};
  const [dh, dw] = c.dilations ?? [1, 1];
  const spread = spreadFilter(filter.values, c.filter, dh, dw);
  const dilationAttr: tf.NamedAttrMap = c.dilations != null ? {dilations: c.dilations} : {};
  return {
    info,
    filterGrad: {inputs: {x, dy}, attrs: {...commonAttrs(c), filterShape: c.filter, ...dilationAttr}} as KernelCall,
    // The stock kernels have no dilation: their reference runs on the spread filter.
    filterGradRef: {inputs: {x, dy}, attrs: {...commonAttrs(c), filterShape: spread.shape}} as KernelCall,
    inputGrad: {inputs: {dy, filter}, attrs: {...commonAttrs(c), inputShape: c.x, ...dilationAttr}} as KernelCall,
    inputGradRef: {inputs: {dy, filter: spread}, attrs: {...commonAttrs(c), inputShape: c.x}} as KernelCall,
    spreadShape: spread.shape, dh, dw,
  };
}

describeBackpropKernels('Conv2D', {
  filterGradName: 'Conv2DBackpropFilter',
  inputGradName: 'Conv2DBackpropInput',
  filterGradConfig: conv2dBackpropFilterConfig,
  inputGradConfig: conv2dBackpropInputConfig,
}, CASES, calls);
