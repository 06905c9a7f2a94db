import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import {allFinite} from '../../src/loss_scale/gradient_scaling';
import {NON_FINITE_KERNEL_NAME} from '../../src/loss_scale/gradient_kernel_names';
import {nonFiniteCpuConfig} from '../../src/loss_scale/gradient_kernels_cpu';

const F32_MAX = 3.4028234663852886e38;
const SPECIAL = [0, -0, 1, -1, 1e-45, -1e-45, 1.1754943508222875e-38, 5.960464477539063e-8, 65504, 1e30, F32_MAX, -F32_MAX, 0.1, 1 / 3];

const FLAGS: [string, number[], boolean][] = [
  ['empty', [], true],
  ['special finite values', SPECIAL, true],
  ['huge values whose sum overflows', [F32_MAX, F32_MAX, F32_MAX], true],
  ['NaN', [1, NaN], false],
  ['Inf', [Infinity, 1], false],
  ['-Inf', [2, -Infinity], false],
  ['Inf and -Inf', [Infinity, -Infinity], false],
  ['NaN last of many', [...SPECIAL, ...SPECIAL, NaN], false],
];

describe.each(['cpu', 'wasm'])('the finiteness kernel on %s', (backend) => {
  beforeAll(async () => {
    await tf.setBackend(backend);
    expect(tf.getKernel(NON_FINITE_KERNEL_NAME, backend)).toBeDefined();
  });

  test.each(FLAGS)('allFinite: %s', (_name, values, expected) => {
    const tensors = [tf.tensor2d(Float32Array.from(values), [values.length, 1]), tf.ones([3, 3])];
    const before = tf.memory().numTensors;
    const spy = jest.spyOn(tf.engine().backend, 'readSync');
    expect(allFinite(tensors)).toBe(expected);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
    // The kernel itself: 0 finite, 1 otherwise.
    const flag = tf.engine().runKernel(NON_FINITE_KERNEL_NAME, {x: tensors[0]!}) as tf.Tensor;
    expect([flag.shape, flag.dtype, flag.dataSync()[0]]).toEqual([[], 'float32', expected ? 0 : 1]);
    flag.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(tensors);
  });
});

describe('backends without the kernel compose stock ops', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    // Stand in for webgl / tfjs-node: remove ours for cpu, restore after.
    tf.unregisterKernel(NON_FINITE_KERNEL_NAME, 'cpu');
  });
  afterAll(() => {
    tf.registerKernel(nonFiniteCpuConfig);
  });

  test.each(FLAGS)('allFinite: %s, with one read and no leaks', (_name, values, expected) => {
    expect(tf.getKernel(NON_FINITE_KERNEL_NAME, 'cpu')).toBeUndefined();
    const tensors = [tf.tensor1d(Float32Array.from(values)), tf.ones([2])];
    const before = tf.memory().numTensors;
    const spy = jest.spyOn(tf.engine().backend, 'readSync');
    expect(allFinite(tensors)).toBe(expected);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(tensors);
  });
});
