import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

import {registerMissingKernels} from '../../src/backend_views';
import {unsortedSegmentSumWasmConfig} from '../../src/segment/unsorted_segment_sum_wasm';

// The wasm backend first, our module after it, with console.warn watched.
const warnings: string[] = [];

beforeAll(() => {
  const spy = jest.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
    warnings.push(args.join(' '));
  });
  try {
    require('../../src/segment/register_segment_kernels');
  } finally {
    spy.mockRestore();
  }
});

test('importing registers our kernel on wasm, silently, and leaves cpu its own', () => {
  expect(warnings).toEqual([]);
  expect(tf.getKernel('UnsortedSegmentSum', 'wasm')).toBe(unsortedSegmentSumWasmConfig);
  expect(tf.getKernel('UnsortedSegmentSum', 'cpu')).toBeDefined();
  expect(tf.getKernel('UnsortedSegmentSum', 'cpu')).not.toBe(unsortedSegmentSumWasmConfig);
});

test('a kernel the backend already has is never replaced', () => {
  const theirs: tf.KernelConfig = {...unsortedSegmentSumWasmConfig, kernelFunc: () => ({dataId: {}, shape: [], dtype: 'float32'})};
  tf.unregisterKernel('UnsortedSegmentSum', 'wasm');
  tf.registerKernel(theirs);
  try {
    const spy = jest.spyOn(console, 'warn');
    try {
      registerMissingKernels([unsortedSegmentSumWasmConfig]);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
    expect(tf.getKernel('UnsortedSegmentSum', 'wasm')).toBe(theirs);
  } finally {
    tf.unregisterKernel('UnsortedSegmentSum', 'wasm');
    tf.registerKernel(unsortedSegmentSumWasmConfig);
  }
});
