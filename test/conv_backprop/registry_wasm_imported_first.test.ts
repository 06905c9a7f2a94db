import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

import type * as Registry from '../../src/conv_backprop/conv_backprop_registry';

// Loaded in the test, after tfjs and the wasm backend, with console.warn
// watched: importing must not print tfjs's "already registered" warning.
let registry: typeof Registry;
const warnings: string[] = [];

beforeAll(() => {
  const spy = jest.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
    warnings.push(args.join(' '));
  });
  try {
    require('../../src/conv_backprop/register_conv_backprop_kernels');
    registry = require('../../src/conv_backprop/conv_backprop_registry');
  } finally {
    spy.mockRestore();
  }
});

test('importing prints no warning', () => {
  expect(warnings).toEqual([]);
});

test.each([
  ['Conv2DBackpropFilter', 'wasm', 'added'],
  ['Conv2DBackpropInput', 'wasm', 'replaced'],
  ['DepthwiseConv2dNativeBackpropFilter', 'wasm', 'added'],
  ['DepthwiseConv2dNativeBackpropInput', 'wasm', 'added'],
  ['Conv2DBackpropFilter', 'cpu', 'replaced'],
  ['DepthwiseConv2dNativeBackpropFilter', 'cpu', 'replaced'],
])('%s on %s is %s', (kernelName, backendName, status) => {
  expect(registry.convBackpropRegistrations()).toContainEqual({kernelName, backendName, status});
  expect(registry.isComposedKernel(kernelName, backendName)).toBe(true);
});

test.each([
  ['Conv2DBackpropInput', 'cpu'],
  ['DepthwiseConv2dNativeBackpropInput', 'cpu'],
  ['Conv3DBackpropFilterV2', 'wasm'],
  ['Conv3DBackpropInputV2', 'wasm'],
])('%s on %s stays the stock kernel', (kernelName, backendName) => {
  expect(registry.isComposedKernel(kernelName, backendName)).toBe(false);
  expect(tf.getKernel(kernelName, backendName)).toBeDefined();
});

test('registering again is idempotent and silent; restore puts the stock kernels back', () => {
  const stockWasmInput = registry.stockKernel('Conv2DBackpropInput', 'wasm');
  const ourConvGradient = tf.getGradient('Conv2D');
  const stockCpuFilter = registry.stockKernel('Conv2DBackpropFilter', 'cpu');
  expect(stockWasmInput).toBeDefined();
  const spy = jest.spyOn(console, 'warn');
  try {
    const first = registry.convBackpropRegistrations();
    expect(registry.registerConvBackpropKernels()).toEqual(first);
    registry.restoreStockConvBackpropKernels();
    expect(new Set(registry.convBackpropRegistrations().map((r) => r.status))).toEqual(new Set(['pending']));
    expect(tf.getGradient('Conv2D')).not.toBe(ourConvGradient);
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')).toBe(stockWasmInput);
    expect(tf.getKernel('Conv2DBackpropFilter', 'cpu')).toBe(stockCpuFilter);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
    expect(registry.registerConvBackpropKernels()).toEqual(first);
    expect(tf.getGradient('Conv2D')).toBe(ourConvGradient);
    expect(spy).not.toHaveBeenCalled();
  } finally {
    spy.mockRestore();
  }
});

test('tf.grad of conv2d works on wasm and frees its intermediates', async () => {
  await tf.setBackend('wasm');
  const x = tf.randomUniform([2, 5, 5, 3], -1, 1, 'float32', 1);
  const w = tf.randomUniform([3, 3, 3, 4], -1, 1, 'float32', 2);
  const before = tf.memory().numTensors;
  const dataBefore = tf.backend().numDataIds();
  const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
    tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same').sum())([x, w]);
  expect(dx!.shape).toEqual([2, 5, 5, 3]);
  expect(dw!.shape).toEqual([3, 3, 3, 4]);
  tf.dispose([dx!, dw!]);
  expect(tf.memory().numTensors).toBe(before);
  expect(tf.backend().numDataIds()).toBe(dataBefore);
  tf.dispose([x, w]);
});

test('the registered cpu Conv2DBackpropFilter hands a geometry it cannot compose to the stock kernel', async () => {
  await tf.setBackend('cpu');
  const backend = tf.backend();
  // Stride 10 with 5 rows of top padding: the only output row reads only padding.
  const x = tf.ones([1, 2, 3, 2]);
  const dy = tf.ones([1, 1, 3, 2]);
  const attrs = {strides: 10, pad: [[0, 0], [5, 0], [0, 0], [0, 0]], dataFormat: 'NHWC', filterShape: [1, 1, 2, 2]};
  const stock = registry.stockKernel('Conv2DBackpropFilter', 'cpu')!;
  const stockSpy = jest.spyOn(stock, 'kernelFunc');
  try {
    const out = tf.getKernel('Conv2DBackpropFilter', 'cpu').kernelFunc({inputs: {x, dy}, backend, attrs}) as tf.TensorInfo;
    expect(Array.from(backend.readSync(out.dataId) as Float32Array)).toEqual([0, 0, 0, 0]);
    backend.disposeData(out.dataId);
    expect(stockSpy).toHaveBeenCalledTimes(1);
  } finally {
    stockSpy.mockRestore();
  }
  tf.dispose([x, dy]);
});
