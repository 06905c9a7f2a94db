import * as tf from '@tensorflow/tfjs';

import {dropTfjsNodeAdvert, isTfjsNodeAdvert} from './tfjs_node_advert';

// A fresh cpu backend prints the advertisement on its first write: the one
// message the suite's console filter (jest_setup.ts) drops.
function firstWriteOfFreshCpuBackend(): void {
  const backend = tf.findBackendFactory('cpu')!() as tf.KernelBackend;
  const before = tf.memory().numTensors;
  const dataId = backend.write(new Float32Array([1]), [1], 'float32');
  backend.disposeData(dataId);
  backend.dispose();
  expect(tf.memory().numTensors).toBe(before);
}

test('tfjs really prints the advertisement (else this filter tests nothing)', () => {
  const seen: unknown[][] = [];
  const saved = console.warn;
  console.warn = (...args: unknown[]) => void seen.push(args);
  try {
    firstWriteOfFreshCpuBackend();
  } finally {
    console.warn = saved;
  }
  expect(seen).toHaveLength(1);
  expect(isTfjsNodeAdvert(seen[0]!)).toBe(true);
});

test('the filter drops the advertisement and passes every other warning on, unchanged', () => {
  const seen: unknown[][] = [];
  const saved = console.warn;
  console.warn = (...args: unknown[]) => void seen.push(args);
  try {
    dropTfjsNodeAdvert(console);
    firstWriteOfFreshCpuBackend();
    console.warn('a warning', 42);
    console.warn('Hi, looks like you are running TensorFlow.js in Node.js.'); // not the whole advertisement
  } finally {
    console.warn = saved;
  }
  expect(seen).toEqual([['a warning', 42], ['Hi, looks like you are running TensorFlow.js in Node.js.']]);
});

test('the suite runs with the filter installed (jest_setup.ts)', () => {
  expect(console.warn.toString()).toContain('isTfjsNodeAdvert');
});
