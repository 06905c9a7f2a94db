import * as tf from '@tensorflow/tfjs';

import {filterGradLoop, inputGradLoop} from '../../src/conv_backprop/conv_backprop_loops';
import {absCall, expectWithinBound, KernelCall, seeded, stockCpu} from './reference';

// The loops are the fallback for geometries the composition cannot express;
// in the kernel tests those geometries only ever produce zeros, so the loops
// are checked here directly on ordinary geometries.
const CASES: Array<[string, number[], number[], number, 'same' | 'valid', boolean]> = [
  ['conv 3x3 same stride 1', [2, 5, 6, 3], [3, 3, 3, 4], 1, 'same', false],
  ['conv 3x2 valid stride 2', [2, 7, 6, 2], [3, 2, 2, 3], 2, 'valid', false],
  ['depthwise 3x3 same multiplier 2', [2, 5, 6, 3], [3, 3, 3, 2], 1, 'same', true],
  ['depthwise 2x2 valid stride 2', [1, 6, 7, 2], [2, 2, 2, 3], 2, 'valid', true],
];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

test.each(CASES)('%s', (_name, xShape, filterShape, strides, pad, depthwise) => {
  const info = tf.backend_util.computeConv2DInfo(xShape as [number, number, number, number],
      filterShape as [number, number, number, number], strides, 1, pad, undefined, depthwise);
  const x = {values: seeded(tf.util.sizeFromShape(xShape), 31), shape: xShape};
  const filter = {values: seeded(tf.util.sizeFromShape(filterShape), 32), shape: filterShape};
  const dy = {values: seeded(tf.util.sizeFromShape(info.outShape), 33), shape: info.outShape};
  const attrs = {strides, pad, dilations: 1, dataFormat: 'NHWC'};
  const filterCall: KernelCall = {inputs: {x, dy}, attrs: {...attrs, filterShape}};
  const inputCall: KernelCall = {inputs: {dy, filter}, attrs: {...attrs, inputShape: xShape}};
  const names = depthwise ?
      ['DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput'] as const :
      ['Conv2DBackpropFilter', 'Conv2DBackpropInput'] as const;

  // Both sides accumulate in float64 and round once: the bound has no n term.
  expectWithinBound(filterGradLoop(x.values, dy.values, info, depthwise),
      stockCpu(names[0], filterCall).values, stockCpu(names[0], absCall(filterCall)).values, 0);
  expectWithinBound(inputGradLoop(dy.values, filter.values, info, depthwise),
      stockCpu(names[1], inputCall).values, stockCpu(names[1], absCall(inputCall)).values, 0);
});
