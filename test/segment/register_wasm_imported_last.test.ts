import * as tf from '@tensorflow/tfjs';

import {unsortedSegmentSumWasmConfig} from '../../src/segment/unsorted_segment_sum_wasm';

// Our module first, the wasm backend after it (`import 'tfjs-mixed-precision';
// import '@tensorflow/tfjs-backend-wasm'`): the kernel waits in the registry.
const warnings: string[] = [];

beforeAll(() => {
  const spy = jest.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
    warnings.push(args.join(' '));
  });
  try {
    require('../../src/segment/register_segment_kernels');
    expect(tf.getKernel('UnsortedSegmentSum', 'wasm')).toBe(unsortedSegmentSumWasmConfig);
    require('@tensorflow/tfjs-backend-wasm');
  } finally {
    spy.mockRestore();
  }
});

test('neither import prints a warning, and the kernel runs once wasm is set', async () => {
  expect(warnings).toEqual([]);
  expect(tf.getKernel('UnsortedSegmentSum', 'wasm')).toBe(unsortedSegmentSumWasmConfig);
  await tf.setBackend('wasm');
  const before = tf.memory().numTensors;
  const values = tf.tidy(() =>
    Array.from(tf.unsortedSegmentSum(tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]), tf.tensor1d([1, 0, 1], 'int32'), 2).dataSync()));
  expect(values).toEqual([3, 4, 6, 8]);
  expect(tf.memory().numTensors).toBe(before);
});
