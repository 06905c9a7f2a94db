import * as tf from '@tensorflow/tfjs';

import type * as Registry from '../../src/conv_backprop/conv_backprop_registry';

// Our module first, the wasm backend after it (the order in which a user
// writes `import 'tfjs-mixed-precision'; import '@tensorflow/tfjs-backend-wasm'`).
let registry: typeof Registry;
const warnings: string[] = [];

beforeAll(() => {
  const spy = jest.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
    warnings.push(args.join(' '));
  });
  try {
    registry = require('../../src/conv_backprop/conv_backprop_registry');
    require('../../src/conv_backprop/register_conv_backprop_kernels');
    require('@tensorflow/tfjs-backend-wasm');
  } finally {
    spy.mockRestore();
  }
});

test('neither import prints a warning (no kernel is registered twice)', () => {
  expect(warnings).toEqual([]);
});

test('the replacement of a kernel the wasm package registers later waits for the backend', async () => {
  expect(registry.convBackpropRegistrations()).toContainEqual(
      {kernelName: 'Conv2DBackpropInput', backendName: 'wasm', status: 'pending'});
  expect(registry.isComposedKernel('Conv2DBackpropInput', 'wasm')).toBe(false);
  expect(registry.isComposedKernel('Conv2DBackpropFilter', 'wasm')).toBe(true);

  await tf.setBackend('wasm');
  expect(registry.isComposedKernel('Conv2DBackpropInput', 'wasm')).toBe(true);
  expect(registry.convBackpropRegistrations()).toContainEqual(
      {kernelName: 'Conv2DBackpropInput', backendName: 'wasm', status: 'replaced'});
});

test('after the switch both the composed and the stock wasm kernels run (the stock one was set up)', async () => {
  await tf.setBackend('wasm');
  const backend = tf.backend();
  const dy = tf.randomUniform([1, 4, 4, 2], -1, 1, 'float32', 3);
  const filter = tf.randomUniform([3, 3, 3, 2], -1, 1, 'float32', 4);
  const attrs = {strides: 1, pad: 'same', dataFormat: 'NHWC', inputShape: [1, 4, 4, 3]};
  const run = (config: tf.KernelConfig) => {
    const out = config.kernelFunc({inputs: {dy, filter}, backend, attrs}) as tf.TensorInfo;
    const values = backend.readSync(out.dataId) as Float32Array;
    backend.disposeData(out.dataId);
    return Array.from(values);
  };
  const composed = run(tf.getKernel('Conv2DBackpropInput', 'wasm'));
  const stock = run(registry.stockKernel('Conv2DBackpropInput', 'wasm')!);
  expect(composed.length).toBe(48);
  composed.forEach((v, i) => expect(v).toBeCloseTo(stock[i]!, 5));
  tf.dispose([dy, filter]);
});
