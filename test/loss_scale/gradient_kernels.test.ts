import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import {allFinite, unscaleGradients} from '../../src/loss_scale/gradient_scaling';
import {NON_FINITE_KERNEL_NAME, UNSCALE_KERNEL_NAME} from '../../src/loss_scale/gradient_kernel_names';
import {nonFiniteCpuConfig, unscaleCpuConfig} from '../../src/loss_scale/gradient_kernels_cpu';

const F32_MAX = 3.4028234663852886e38;
const SPECIAL = [0, -0, 1, -1, 1e-45, -1e-45, 1.1754943508222875e-38, 5.960464477539063e-8, 65504, 1e30, F32_MAX, -F32_MAX, 0.1, 1 / 3];

function bits(t: tf.Tensor): number[] {
  return Array.from(new Uint32Array(new Float32Array(t.dataSync()).buffer));
}

function randomValues(n: number, seed: number): Float32Array {
  // A spread of magnitudes, 2^-140 to 2^120, both signs (deterministic LCG).
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    const e = (s % 260) - 140;
    s = (s * 1664525 + 1013904223) >>> 0;
    out[i] = ((s / 2 ** 32) * 2 - 1) * 2 ** e;
  }
  return out;
}

describe.each(['cpu', 'wasm'])('fused loss-scaling kernels on %s', (backend) => {
  beforeAll(async () => {
    await tf.setBackend(backend);
    expect(tf.getKernel(UNSCALE_KERNEL_NAME, backend)).toBeDefined();
    expect(tf.getKernel(NON_FINITE_KERNEL_NAME, backend)).toBeDefined();
  });

  test.each([1, 3, 1024, 32768, 0.25, Math.fround(0.1), 2 ** 100, F32_MAX])(
    'unscale by %d is bit-identical to tf.div (special and random values)',
    (scale) => {
      const x = tf.tensor1d(Float32Array.from([...SPECIAL, ...randomValues(5000, 7), Infinity, -Infinity, NaN]));
      const before = tf.memory().numTensors;
      const [fused] = unscaleGradients([{name: 'x', tensor: x}], scale);
      const reference = tf.tidy(() => tf.div(x, tf.scalar(scale)));
      expect(bits(fused!.tensor)).toEqual(bits(reference));
      expect(fused!.tensor.shape).toEqual(x.shape);
      tf.dispose([fused!.tensor, reference]);
      expect(tf.memory().numTensors).toBe(before);
      x.dispose();
    },
  );

  const FLAGS: [string, number[], boolean][] = [
    ['empty', [], true],
    ['special finite values', SPECIAL, true],
    ['NaN', [1, NaN], false],
    ['Inf', [Infinity, 1], false],
    ['-Inf', [2, -Infinity], false],
    ['Inf and -Inf', [Infinity, -Infinity], false],
  ];
  test.each(FLAGS)('allFinite: %s', (_name, values, expected) => {
    const tensors = [tf.tensor2d(Float32Array.from(values), [values.length, 1]), tf.ones([3, 3])];
    const before = tf.memory().numTensors;
    expect(allFinite(tensors)).toBe(expected);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(tensors);
  });

  test('allFinite reads the device once for many tensors', () => {
    const tensors = Array.from({length: 5}, (_, i) => tf.fill([10, 10], i));
    const spy = jest.spyOn(tf.engine().backend, 'readSync');
    expect(allFinite(tensors)).toBe(true);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
    tf.dispose(tensors);
  });
});

describe('backends without the fused kernels compose stock ops', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    // Stand in for webgl / tfjs-node: remove ours for cpu, restore after.
    tf.unregisterKernel(UNSCALE_KERNEL_NAME, 'cpu');
    tf.unregisterKernel(NON_FINITE_KERNEL_NAME, 'cpu');
  });
  afterAll(() => {
    tf.registerKernel(unscaleCpuConfig);
    tf.registerKernel(nonFiniteCpuConfig);
  });

  test('same results, same single read, no leaks', () => {
    expect(tf.getKernel(UNSCALE_KERNEL_NAME, 'cpu')).toBeUndefined();
    const values = Float32Array.from([...SPECIAL, ...randomValues(1000, 3)]);
    const x = tf.tensor1d(values);
    const bad = tf.tensor1d([1, NaN]);
    const before = tf.memory().numTensors;
    const {x: unscaled} = unscaleGradients({x}, 3);
    expect(bits(unscaled!)).toEqual(Array.from(new Uint32Array(values.map((v) => v / 3).buffer)));
    unscaled!.dispose();
    const spy = jest.spyOn(tf.engine().backend, 'readSync');
    expect(allFinite([x, x])).toBe(true);
    expect(allFinite([x, bad])).toBe(false);
    expect(spy).toHaveBeenCalledTimes(2);
    spy.mockRestore();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, bad]);
  });
});
