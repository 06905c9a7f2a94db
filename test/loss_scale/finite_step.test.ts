// A step whose finite gradients would still write a NaN or Inf into a variable
// (float16 storage overflows past 65504) is skipped and undone.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import * as layers from '../../layers';
import {applyUnlessNonFinite} from '../../src/loss_scale/finite_step';
import {LossScaleOptimizer} from '../../src/loss_scale/loss_scale_optimizer';
import {OPTIMIZER_CASES, disposeAllVariables, snapshotAllVariables} from './optimizer_cases';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => disposeAllVariables());

/** A 1x1 dense layer under the float16 policy (its kernel stored as float16), kernel = w. */
function float16Layer(w: number): {layer: layers.Dense; kernel: tf.Variable; x: tf.Tensor} {
  const layer = layers.dense({units: 1, useBias: false, dtype: 'float16', kernelInitializer: 'ones'});
  const x = tf.ones([1, 1]);
  tf.dispose(layer.apply(x) as tf.Tensor);
  const value = tf.tensor2d([[w]]);
  layer.setWeights([value]);
  value.dispose();
  return {layer, kernel: layer.trainableWeights[0]!.read() as tf.Variable, x};
}

// loss = -kernel: every optimizer pushes the kernel up.
const pushUp = (layer: layers.Dense, x: tf.Tensor) => () => tf.neg(tf.sum(layer.apply(x) as tf.Tensor)) as tf.Scalar;

describe('float16 policy: a finite gradient that would overflow the variable', () => {
  test('is skipped: the variable, the slots and the iteration count are bit-identical, the scale is left alone', () => {
    const {layer, kernel, x} = float16Layer(1);
    const inner = tf.train.adam(1e-3);
    const lso = new LossScaleOptimizer(inner, {initialScale: 1024, dynamicGrowthSteps: 1000});
    lso.minimize(pushUp(layer, x), false, [kernel]); // warm-up: slots exist
    const w = tf.tensor2d([[64992]]); // a float16 value
    layer.setWeights([w]);
    w.dispose();
    (inner as unknown as {learningRate: number}).learningRate = 1000; // 64992 + ~1000 > 65504: Inf in float16
    const before = snapshotAllVariables();
    const numTensors = tf.memory().numTensors;

    lso.minimize(pushUp(layer, x), false, [kernel]);

    expect(kernel.dataSync()[0]).toBe(64992);
    expect(snapshotAllVariables()).toEqual(before);
    expect([inner.iterations, lso.skippedSteps, lso.lossScale, lso.goodSteps]).toEqual([1, 1, 1024, 1]);
    expect(tf.memory().numTensors).toBe(numTensors);

    // A step that fits is applied as usual.
    (inner as unknown as {learningRate: number}).learningRate = 100;
    lso.minimize(pushUp(layer, x), false, [kernel]);
    expect(kernel.dataSync()[0]).toBeGreaterThan(64992);
    expect(Number.isFinite(kernel.dataSync()[0])).toBe(true);
    expect([inner.iterations, lso.skippedSteps, lso.goodSteps]).toEqual([2, 1, 2]);
    tf.dispose(x);
    lso.dispose();
    layer.dispose();
  });

  test.each(OPTIMIZER_CASES)('%s: never writes Inf into the float16 kernel', (_name, make) => {
    const {layer, kernel, x} = float16Layer(65400);
    const lso = new LossScaleOptimizer(make());
    lso.learningRate = 5000; // through setLearningRate where the optimizer caches it (SGD, Momentum)
    for (let i = 0; i < 3; i++) {
      lso.minimize(pushUp(layer, x), false, [kernel]);
    }
    expect(Number.isFinite(kernel.dataSync()[0])).toBe(true);
    expect(lso.skippedSteps).toBe(3);
    tf.dispose(x);
    lso.dispose();
    layer.dispose();
  });

  test('the same step without the wrapper writes Inf (what the check prevents)', () => {
    const {layer, kernel, x} = float16Layer(65000);
    const sgd = tf.train.sgd(1000);
    sgd.minimize(pushUp(layer, x), false, [kernel]);
    expect(kernel.dataSync()[0]).toBe(Infinity);
    tf.dispose(x);
    sgd.dispose();
    layer.dispose();
  });
});

describe('applyUnlessNonFinite', () => {
  test('float32 overflow from a finite gradient is undone too', () => {
    const v = tf.variable(tf.tensor1d([3e38, 1]), true, 'v');
    const sgd = tf.train.sgd(1);
    const g = tf.tensor1d([-3e38, 1]);
    const kept = applyUnlessNonFinite(sgd, [v], () => sgd.applyGradients([{name: 'v', tensor: g}]));
    expect(kept).toBe(false);
    expect(Array.from(v.dataSync())).toEqual([Math.fround(3e38), 1]);
    expect(sgd.iterations).toBe(0);
    g.dispose();
    sgd.dispose();
  });

  test('a step that throws half-way is undone, and the error passes through', () => {
    const a = tf.variable(tf.tensor1d([1]), true, 'a');
    const b = tf.variable(tf.tensor1d([2]), true, 'b');
    const sgd = tf.train.sgd(1);
    const numTensors = tf.memory().numTensors;
    expect(() =>
      applyUnlessNonFinite(sgd, [a, b], () => {
        tf.tidy(() => a.assign(tf.tensor1d([10])));
        throw new Error('inner optimizer failed');
      }),
    ).toThrow('inner optimizer failed');
    expect([a.dataSync()[0], b.dataSync()[0]]).toEqual([1, 2]);
    expect(tf.memory().numTensors).toBe(numTensors);
    sgd.dispose();
  });

  test('a kept step holds no extra tensor afterwards', () => {
    const v = tf.variable(tf.tensor1d([1, 2]), true, 'v');
    const adam = tf.train.adam(0.1);
    const g = tf.tensor1d([1, 1]);
    adam.applyGradients([{name: 'v', tensor: g}]); // slots exist
    const numTensors = tf.memory().numTensors;
    expect(applyUnlessNonFinite(adam, [v], () => adam.applyGradients([{name: 'v', tensor: g}]))).toBe(true);
    expect(tf.memory().numTensors).toBe(numTensors);
    expect(adam.iterations).toBe(2);
    g.dispose();
    adam.dispose();
  });
});

describe('on wasm (its Identity copies; the held references must not)', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  test('an overflowing step is undone, a kept one holds nothing afterwards', async () => {
    await tf.setBackend('wasm');
    const v = tf.variable(tf.tensor1d([3e38, 1]), true, 'v');
    const adam = tf.train.adam(0.1);
    const setRate = (rate: number) => ((adam as unknown as {learningRate: number}).learningRate = rate);
    const small = tf.tensor1d([-1, 1]);
    adam.applyGradients([{name: 'v', tensor: small}]); // slots exist
    setRate(1e38); // 3e38 + 1e38: Inf
    const before = Array.from(v.dataSync());
    const numTensors = tf.memory().numTensors;
    const bytes = tf.memory().numBytes;
    expect(applyUnlessNonFinite(adam, [v], () => adam.applyGradients([{name: 'v', tensor: small}]))).toBe(false);
    expect(Array.from(v.dataSync())).toEqual(before);
    expect(adam.iterations).toBe(1);
    expect([tf.memory().numTensors, tf.memory().numBytes]).toEqual([numTensors, bytes]);
    setRate(0.1);
    expect(applyUnlessNonFinite(adam, [v], () => adam.applyGradients([{name: 'v', tensor: small}]))).toBe(true);
    expect([tf.memory().numTensors, tf.memory().numBytes]).toEqual([numTensors, bytes]);
    small.dispose();
    adam.dispose();
  });
});
