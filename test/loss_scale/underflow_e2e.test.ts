import * as tf from '@tensorflow/tfjs';
import {cast} from '../../src/cast/cast';
import {LossScaleOptimizer} from '../../src/loss_scale/loss_scale_optimizer';
import {dense} from '../../layers';

// End to end: float16 gradients underflow (a loss multiplied by a tiny
// constant, as a badly scaled loss would be), so plain training sees only
// zero gradients and does not move; loss scaling brings them back into
// float16's range. The learning rate is multiplied by 1 / TINY so that, were
// nothing flushed to zero, training would be ordinary SGD at rate LR.
const TINY = 2 ** -24;
const LR = 0.05;

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => tf.disposeVariables());

function dataset() {
  const xs = tf.randomUniform([64, 8], -1, 1, 'float32', 1);
  const wTrue = tf.randomUniform([8, 1], -1, 1, 'float32', 2);
  const ys = tf.matMul(xs, wTrue);
  wTrue.dispose();
  return {xs, ys};
}

function zeroFraction(grads: tf.NamedTensorMap): number {
  let zeros = 0;
  let total = 0;
  for (const g of Object.values(grads)) {
    const values = g.dataSync();
    total += values.length;
    zeros += values.filter((v) => v === 0).length;
  }
  return zeros / total;
}

describe('custom loop: an MLP computing in float16 (every materialized tensor cast)', () => {
  function makeMlp() {
    const [w1, b1, w2] = tf.tidy(() => [
      tf.variable(tf.randomUniform([8, 16], -0.5, 0.5, 'float32', 3), true, 'w1'),
      tf.variable(tf.fill([16], 0.1), true, 'b1'),
      tf.variable(tf.randomUniform([16, 1], -0.5, 0.5, 'float32', 4), true, 'w2'),
    ]) as [tf.Variable, tf.Variable, tf.Variable];
    const forward = (x: tf.Tensor, narrow: boolean) => {
      const c = (t: tf.Tensor) => (narrow ? cast(t, 'float16') : t);
      const h = tf.relu(c(tf.add(c(tf.matMul(c(x), c(w1))), c(b1))));
      return c(tf.matMul(h, c(w2)));
    };
    return {vars: [w1, b1, w2], forward};
  }

  test('plain SGD sees only zero gradients and learns nothing; the LossScaleOptimizer learns', () => {
    const {xs, ys} = dataset();
    const mse = (y: tf.Tensor) => tf.mean(tf.square(tf.sub(y, ys)));
    const results: Record<string, {zeros: number; before: number; after: number}> = {};
    const count0 = tf.memory().numTensors;

    for (const mode of ['float32 reference', 'float16, plain', 'float16, loss scaled'] as const) {
      const {vars, forward} = makeMlp();
      const narrow = mode !== 'float32 reference';
      const inner = tf.train.sgd(LR / TINY);
      const opt = mode === 'float16, loss scaled' ? new LossScaleOptimizer(inner, {dynamicGrowthSteps: 20}) : inner;
      const loss = () => tf.mul(mse(forward(xs, narrow)), TINY) as tf.Scalar;
      const lossNow = () => tf.tidy(() => mse(forward(xs, narrow)).dataSync()[0]!);

      const {value, grads} = opt.computeGradients(loss, vars);
      const zeros = zeroFraction(grads);
      tf.dispose([value, grads]);
      const before = lossNow();
      for (let i = 0; i < 60; i++) {
        opt.minimize(loss, false, vars);
      }
      results[mode] = {zeros, before, after: lossNow()};
      opt.dispose();
      tf.dispose(vars);
    }
    expect(tf.memory().numTensors).toBe(count0);

    const plain = results['float16, plain']!;
    const scaled = results['float16, loss scaled']!;
    const reference = results['float32 reference']!;
    expect(plain.zeros).toBe(1);
    expect(plain.after).toBe(plain.before);
    expect(scaled.zeros).toBeLessThan(0.5);
    expect(scaled.zeros).toBeCloseTo(reference.zeros, 1);
    expect(scaled.after).toBeLessThan(scaled.before * 0.2);
    // Loss scaling recovers float32-like training.
    expect(scaled.after).toBeLessThan(reference.after * 2 + 1e-3);
    tf.dispose([xs, ys]);
  });
});

describe('model.fit: mixed_float16 layers', () => {
  test('plain SGD sees only zero gradients and learns nothing; the LossScaleOptimizer learns', async () => {
    const {xs, ys} = dataset();
    const tinyMse = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.mul(tf.losses.meanSquaredError(yTrue, yPred), TINY);
    const results: Record<string, {zeros: number; before: number; after: number; scale?: number}> = {};
    const count0 = tf.memory().numTensors;

    for (const mode of ['plain', 'loss scaled'] as const) {
      const model = tf.sequential({
        layers: [
          dense({units: 16, inputShape: [8], activation: 'relu', dtype: 'mixed_float16', kernelInitializer: tf.initializers.glorotUniform({seed: 5})}),
          dense({units: 1, dtype: 'mixed_float16', kernelInitializer: tf.initializers.glorotUniform({seed: 6})}),
        ],
      });
      const inner = tf.train.sgd(LR / TINY);
      const optimizer = mode === 'loss scaled' ? new LossScaleOptimizer(inner, {dynamicGrowthSteps: 20}) : inner;
      // 'plain' opts out of compile's automatic loss scaling (see auto_loss_scale.ts).
      model.compile({optimizer, loss: tinyMse, autoScaleLoss: false});
      const lossNow = () => tf.tidy(() => tf.losses.meanSquaredError(ys, model.predict(xs) as tf.Tensor).dataSync()[0]!);
      const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
      const {value, grads} = tf.variableGrads(() => {
        const loss = tinyMse(ys, model.apply(xs, {training: true}) as tf.Tensor) as tf.Scalar;
        return mode === 'loss scaled' ? (optimizer as LossScaleOptimizer).getScaledLoss(loss) : loss;
      }, vars);
      const zeros = zeroFraction(grads);
      tf.dispose([value, grads]);

      const before = lossNow();
      const history = await model.fit(xs, ys, {epochs: 60, batchSize: 64, verbose: 0});
      results[mode] = {zeros, before, after: lossNow(), scale: (history.history['lossScale'] as number[] | undefined)?.slice(-1)[0]};
      model.dispose();
      // compile does not take ownership of an optimizer instance; the loss
      // scale optimizer disposes its inner one.
      optimizer.dispose();
    }
    expect(tf.memory().numTensors).toBe(count0);

    const plain = results['plain']!;
    const scaled = results['loss scaled']!;
    expect(plain.zeros).toBe(1);
    expect(plain.after).toBe(plain.before);
    expect(scaled.zeros).toBeLessThan(0.5);
    expect(scaled.after).toBeLessThan(scaled.before * 0.2);
    expect(scaled.scale).toBeGreaterThanOrEqual(2 ** 15);
    tf.dispose([xs, ys]);
  });
});
