import * as tf from '@tensorflow/tfjs';
import {allFinite, gradientTensors, scaleLoss, unscaleGradients} from '../../src/loss_scale/gradient_scaling';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('allFinite', () => {
  const F32_MAX = 3.4028234663852886e38;
  const CASES: [string, number[][], boolean][] = [
    ['no tensors', [], true],
    ['finite values', [[1, -2, 3], [0.5]], true],
    ['zeros and subnormals', [[0, -0, 1e-45]], true],
    // sum(g) would overflow to Inf here; the check must not.
    ['huge finite values', [[F32_MAX, F32_MAX, F32_MAX], [-F32_MAX]], true],
    ['a NaN', [[1, 2], [3, NaN]], false],
    ['+Inf', [[Infinity, 0]], false],
    ['-Inf', [[1], [-Infinity]], false],
    ['+Inf and -Inf cancelling in a sum', [[Infinity, -Infinity]], false],
    ['NaN in the first of many', [[NaN], [1], [2], [3]], false],
  ];
  test.each(CASES)('%s -> %s', (_name, values, expected) => {
    const tensors = values.map((v) => tf.tensor1d(v));
    const before = tf.memory().numTensors;
    expect(allFinite(tensors)).toBe(expected);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(tensors);
  });

  test('reads the device exactly once, however many tensors', () => {
    const tensors = Array.from({length: 7}, (_, i) => tf.fill([3, 2], i));
    const backend = tf.engine().backend;
    const spy = jest.spyOn(backend, 'readSync');
    expect(allFinite(tensors)).toBe(true);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
    tf.dispose(tensors);
  });
});

describe('scaleLoss / unscaleGradients', () => {
  test('scales and unscales in float32, keeping the container shape and nulls', () => {
    const a = tf.tensor1d([1, 2, 3]);
    const b = tf.tensor1d([-4]);
    const before = tf.memory().numTensors;
    const loss = tf.scalar(0.5);
    const scaled = scaleLoss(loss, 1024);
    expect(scaled.dataSync()[0]).toBe(512);
    expect(loss.dataSync()[0]).toBe(0.5);
    tf.dispose([loss, scaled]);

    const list = unscaleGradients([{name: 'a', tensor: a}, {name: 'b', tensor: b}], 4);
    expect(list.map((g) => g.name)).toEqual(['a', 'b']);
    expect(Array.from(list[0]!.tensor.dataSync())).toEqual([0.25, 0.5, 0.75]);
    expect(Array.from(list[1]!.tensor.dataSync())).toEqual([-1]);

    const map = unscaleGradients({x: a, y: null as unknown as tf.Tensor}, 3);
    expect(Object.keys(map)).toEqual(['x', 'y']);
    expect(map['y']).toBeNull();
    // Division, not multiplication by the rounded reciprocal.
    expect(Array.from(map['x']!.dataSync())).toEqual([1 / 3, 2 / 3, 1].map(Math.fround));

    expect(gradientTensors(map)).toHaveLength(1);
    // The inputs survive; only the outputs are new.
    expect(a.isDisposed || b.isDisposed).toBe(false);
    tf.dispose([list.map((g) => g.tensor), map['x']!]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, b]);
  });
});

describe('unscaleGradients with a plain tensor list (tf.grads)', () => {
  test('keeps the list shape', () => {
    const x = tf.tensor1d([2, 4]);
    const before = tf.memory().numTensors;
    const out = unscaleGradients([x, x], 2);
    expect(out.map((t) => Array.from(t.dataSync()))).toEqual([[1, 2], [1, 2]]);
    tf.dispose(out);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
