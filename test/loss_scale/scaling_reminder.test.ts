// Keras parity: a custom loop that forgets getScaledLoss/getUnscaledGradients
// is warned, once; minimize and model.fit never are.
import * as tf from '@tensorflow/tfjs';
import {LossScaleOptimizer} from '../../src/loss_scale/loss_scale_optimizer';
import {reminderText} from '../../src/loss_scale/scaling_reminder';
import {disposeAllVariables} from './optimizer_cases';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => disposeAllVariables());

function watchWarnings(): {warnings: string[]; stop: () => void} {
  const warnings: string[] = [];
  const spy = jest.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
    warnings.push(args.join(' '));
  });
  return {warnings, stop: () => spy.mockRestore()};
}

const EXAMPLE =
  'call them in your custom loop, for example:\n' +
  '  const {grads} = tf.variableGrads(() => lso.getScaledLoss(lossFn()));\n' +
  '  lso.applyGradients(lso.getUnscaledGradients(grads));\n' +
  'or simply lso.minimize(lossFn).';

// Which of the two calls the loop makes, and the warning expected (null: none).
const LOOPS: [string, boolean, boolean, string | null][] = [
  [
    'neither',
    false,
    false,
    'You forgot to call LossScaleOptimizer.getScaledLoss() and LossScaleOptimizer.getUnscaledGradients() before ' +
      'calling LossScaleOptimizer.applyGradients(). The gradients are then off by the loss scale, or underflow in ' +
      'float16, which will likely give a worse model; ' + EXAMPLE,
  ],
  [
    'getUnscaledGradients only (gradients of an unscaled loss)',
    false,
    true,
    'You forgot to call LossScaleOptimizer.getScaledLoss() (you did call getUnscaledGradients()) before calling ' +
      'LossScaleOptimizer.applyGradients(). The gradients are then off by the loss scale, or underflow in float16, ' +
      'which will likely give a worse model; ' + EXAMPLE,
  ],
  [
    'getScaledLoss only',
    true,
    false,
    'You forgot to call LossScaleOptimizer.getUnscaledGradients() (you did call getScaledLoss()) before calling ' +
      'LossScaleOptimizer.applyGradients(). The gradients are then off by the loss scale, or underflow in float16, ' +
      'which will likely give a worse model; ' + EXAMPLE,
  ],
  ['both', true, true, null],
];

describe('custom loops', () => {
  test.each(LOOPS)('%s: warned once over three steps, as expected', (_name, scale, unscale, expected) => {
    const v = tf.variable(tf.tensor1d([1, 2]), true, 'v');
    const lso = new LossScaleOptimizer(tf.train.sgd(0.01), {initialScale: 4});
    const {warnings, stop} = watchWarnings();
    const numTensors = tf.memory().numTensors;
    try {
      for (let i = 0; i < 3; i++) {
        const {value, grads} = tf.variableGrads(() => {
          const loss = tf.sum(tf.square(v)) as tf.Scalar;
          return scale ? lso.getScaledLoss(loss) : loss;
        });
        const applied = unscale ? lso.getUnscaledGradients(grads) : grads;
        lso.applyGradients(applied);
        tf.dispose([value, grads, applied]);
      }
    } finally {
      stop();
    }
    expect(warnings).toEqual(expected === null ? [] : [expected]);
    expect(tf.memory().numTensors).toBe(numTensors);
    lso.dispose();
  });

  test('computeGradients then applyGradients is a correct loop: no warning', () => {
    const v = tf.variable(tf.tensor1d([1, 2]), true, 'v');
    const lso = new LossScaleOptimizer(tf.train.sgd(0.01));
    const {warnings, stop} = watchWarnings();
    try {
      const {value, grads} = lso.computeGradients(() => tf.sum(tf.square(v)) as tf.Scalar);
      lso.applyGradients(grads);
      tf.dispose([value, grads]);
    } finally {
      stop();
    }
    expect(warnings).toEqual([]);
    lso.dispose();
  });

  test('each optimizer warns once for itself', () => {
    expect(reminderText(false, false)).toMatch(/^You forgot to call LossScaleOptimizer\.getScaledLoss\(\) and/);
    const v = tf.variable(tf.tensor1d([1]), true, 'v');
    const {warnings, stop} = watchWarnings();
    try {
      for (const lso of [new LossScaleOptimizer(tf.train.sgd(0.1)), new LossScaleOptimizer(tf.train.sgd(0.1))]) {
        const g = tf.ones([1]);
        lso.applyGradients({v: g});
        lso.applyGradients({v: g});
        g.dispose();
        lso.dispose();
      }
    } finally {
      stop();
    }
    expect(warnings).toHaveLength(2);
  });
});

describe('never warned', () => {
  test('minimize', () => {
    const v = tf.variable(tf.tensor1d([1, 2]), true, 'v');
    const lso = new LossScaleOptimizer(tf.train.adam(0.01));
    const {warnings, stop} = watchWarnings();
    try {
      lso.minimize(() => tf.sum(tf.square(v)) as tf.Scalar);
      lso.minimize(() => tf.sum(tf.square(v)) as tf.Scalar, false, [v]);
    } finally {
      stop();
    }
    expect(warnings).toEqual([]);
    lso.dispose();
  });

  test('model.fit', async () => {
    const model = tf.sequential({layers: [tf.layers.dense({units: 1, inputShape: [2]})]});
    const lso = new LossScaleOptimizer(tf.train.adam(0.01));
    model.compile({optimizer: lso, loss: 'meanSquaredError'});
    const xs = tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [4, 2]);
    const ys = tf.tensor2d([1, 0, 1, 0], [4, 1]);
    const {warnings, stop} = watchWarnings();
    try {
      await model.fit(xs, ys, {epochs: 2, batchSize: 2, verbose: 0});
    } finally {
      stop();
    }
    expect(warnings).toEqual([]);
    expect(lso.iterations).toBe(4);
    tf.dispose([xs, ys]);
    model.dispose();
  });
});
