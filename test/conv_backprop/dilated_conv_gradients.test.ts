import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

import '../../src/conv_backprop/register_conv_backprop_kernels';
import {registerConvBackpropKernels, restoreStockConvBackpropKernels} from '../../src/conv_backprop/conv_backprop_registry';
import {DILATED_KERNEL_NAMES} from '../../src/conv_backprop/dilated_conv_gradients';
import {absCall, expectWithinBound, gatherTaps, KernelCall, seeded, spreadFilter, stockCpu} from './reference';

interface Case {
  name: string;
  depthwise: boolean;
  x: [number, number, number, number];
  filter: [number, number, number, number];
  pad: 'same' | 'valid';
  dilations: [number, number];
}

const CASES: Case[] = [
  {name: 'conv2d dilation 2 same', depthwise: false, x: [2, 7, 7, 2], filter: [3, 3, 2, 3], pad: 'same', dilations: [2, 2]},
  {name: 'conv2d dilation [2, 3] valid', depthwise: false, x: [2, 8, 9, 3], filter: [2, 3, 3, 2], pad: 'valid', dilations: [2, 3]},
  {name: 'depthwise dilation 2 same x2', depthwise: true, x: [2, 7, 6, 2], filter: [3, 3, 2, 2], pad: 'same', dilations: [2, 2]},
];

function forward(c: Case, x: tf.Tensor4D, w: tf.Tensor4D): tf.Tensor4D {
  return c.depthwise ? tf.depthwiseConv2d(x, w, 1, c.pad, 'NHWC', c.dilations) :
      tf.conv2d(x, w, 1, c.pad, 'NHWC', c.dilations);
}

describe.each(['cpu', 'wasm'])('dilated gradients on %s', (backendName) => {
  test.each(CASES.map((c) => [c.name, c] as const))('%s matches the stock kernels on the spread filter', async (_n, c) => {
    const info = tf.backend_util.computeConv2DInfo(c.x, c.filter, 1, c.dilations, c.pad, undefined, c.depthwise);
    const xv = {values: seeded(tf.util.sizeFromShape(c.x), 41), shape: c.x};
    const wv = {values: seeded(tf.util.sizeFromShape(c.filter), 42), shape: c.filter};
    const dyv = {values: seeded(tf.util.sizeFromShape(info.outShape), 43), shape: info.outShape};
    const spread = spreadFilter(wv.values, c.filter, c.dilations[0], c.dilations[1]);
    const names = c.depthwise ?
        ['DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput'] :
        ['Conv2DBackpropFilter', 'Conv2DBackpropInput'];
    const attrs = {strides: 1, pad: c.pad, dilations: 1, dataFormat: 'NHWC'};
    const filterCall: KernelCall = {inputs: {x: xv, dy: dyv}, attrs: {...attrs, filterShape: spread.shape}};
    const inputCall: KernelCall = {inputs: {dy: dyv, filter: spread}, attrs: {...attrs, inputShape: c.x}};
    await tf.setBackend('cpu');
    const taps = (v: Float32Array) => gatherTaps(v, spread.shape, c.dilations[0], c.dilations[1], c.filter);
    const refW = taps(stockCpu(names[0]!, filterCall).values);
    const absW = taps(stockCpu(names[0]!, absCall(filterCall)).values);
    const refX = stockCpu(names[1]!, inputCall).values;
    const absX = stockCpu(names[1]!, absCall(inputCall)).values;

    await tf.setBackend(backendName);
    const before = tf.memory().numTensors;
    const x = tf.tensor4d(xv.values, c.x);
    const w = tf.tensor4d(wv.values, c.filter);
    const dy = tf.tensor4d(dyv.values, info.outShape as [number, number, number, number]);
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => forward(c, a as tf.Tensor4D, b as tf.Tensor4D))([x, w], dy);
    expectWithinBound(dw!.dataSync() as Float32Array, refW, absW, info.batchSize * info.outHeight * info.outWidth);
    expectWithinBound(dx!.dataSync() as Float32Array, refX, absX,
        c.filter[0] * c.filter[1] * (c.depthwise ? c.filter[3] : c.filter[3]));
    tf.dispose([x, w, dy, dx!, dw!]);
    expect(tf.memory().numTensors).toBe(before);
  });

  test('without dilation the gradient is bit-identical to tfjs\'s own', async () => {
    await tf.setBackend(backendName);
    const x = tf.tensor4d(seeded(2 * 6 * 5 * 3, 51), [2, 6, 5, 3]);
    const w = tf.tensor4d(seeded(3 * 3 * 3 * 4, 52), [3, 3, 3, 4]);
    const grads = () => tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same').square().sum())([x, w]);
    const ours = grads();
    restoreStockConvBackpropKernels();
    let theirs: tf.Tensor[];
    try {
      // Same kernels, only the gradient swapped back to tfjs's.
      registerKernelsOnly();
      theirs = grads();
    } finally {
      registerConvBackpropKernels();
    }
    expect(Array.from(ours[0]!.dataSync())).toEqual(Array.from(theirs[0]!.dataSync()));
    expect(Array.from(ours[1]!.dataSync())).toEqual(Array.from(theirs[1]!.dataSync()));
    tf.dispose([x, w, ...ours, ...theirs]);
  });

  test('a backend without the composed kernels gets tfjs\'s refusal, extended', async () => {
    await tf.setBackend(backendName);
    const x = tf.ones([1, 5, 5, 1]) as tf.Tensor4D;
    const w = tf.ones([2, 2, 1, 1]) as tf.Tensor4D;
    tf.unregisterKernel(DILATED_KERNEL_NAMES.conv2dFilter, backendName);
    try {
      expect(() => tf.grad((b: tf.Tensor) => tf.conv2d(x, b as tf.Tensor4D, 1, 'same', 'NHWC', 2).sum())(w))
          .toThrow(`dilation rates greater than 1 are not yet supported in gradients on backend '${backendName}'`);
    } finally {
      registerConvBackpropKernels();
    }
    tf.dispose([x, w]);
  });
});

/** Registers the composed kernels, then puts tfjs's gradients back. */
function registerKernelsOnly(): void {
  const conv = tf.getGradient('Conv2D');
  const depthwise = tf.getGradient('DepthwiseConv2dNative');
  registerConvBackpropKernels();
  tf.registerGradient(conv);
  tf.registerGradient(depthwise);
}

test('model.fit trains a dilated conv2d layer on wasm', async () => {
  await tf.setBackend('wasm');
  const before = tf.memory().numTensors;
  const model = tf.sequential();
  model.add(tf.layers.conv2d({inputShape: [9, 9, 1], filters: 3, kernelSize: 3, dilationRate: 2, activation: 'relu'}));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({units: 2, activation: 'softmax'}));
  model.compile({optimizer: tf.train.adam(0.02), loss: 'categoricalCrossentropy'});
  const x = tf.tensor(seeded(6 * 81, 61), [6, 9, 9, 1]);
  const y = tf.tidy(() => tf.oneHot([0, 1, 0, 1, 0, 1], 2).toFloat());
  const losses = (await model.fit(x, y, {epochs: 5, verbose: 0})).history['loss'] as number[];
  expect(losses[4]!).toBeLessThan(losses[0]!);
  tf.dispose([x, y]);
  model.optimizer.dispose();
  model.dispose();
  expect(tf.memory().numTensors).toBe(before);
});
