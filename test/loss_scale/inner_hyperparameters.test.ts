// Keras parity: the wrapper reads and sets the inner optimizer's hyperparameters.
import * as tf from '@tensorflow/tfjs';
import {LossScaleOptimizer} from '../../src/loss_scale/loss_scale_optimizer';
import {HeavyBallOptimizer, disposeAllVariables} from './optimizer_cases';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => disposeAllVariables());

const NAMES = ['learningRate', 'momentum', 'beta1', 'beta2', 'epsilon', 'decay', 'rho'] as const;
type Name = (typeof NAMES)[number];

// The optimizer, and the hyperparameters it has with their values.
const CASES: [string, () => tf.Optimizer, Partial<Record<Name, number>>][] = [
  ['sgd', () => tf.train.sgd(0.1), {learningRate: 0.1}],
  ['momentum', () => tf.train.momentum(0.1, 0.9), {learningRate: 0.1, momentum: 0.9}],
  ['adam', () => tf.train.adam(0.01, 0.8, 0.99, 1e-6), {learningRate: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-6}],
  ['adamax', () => tf.train.adamax(0.01, 0.8, 0.99, 1e-6, 0.5), {learningRate: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-6, decay: 0.5}],
  ['rmsprop', () => tf.train.rmsprop(0.01, 0.8, 0.5, 1e-6, true), {learningRate: 0.01, decay: 0.8, momentum: 0.5, epsilon: 1e-6}],
  ['adagrad', () => tf.train.adagrad(0.1), {learningRate: 0.1}],
  ['adadelta', () => tf.train.adadelta(1, 0.9, 1e-6), {learningRate: 1, rho: 0.9, epsilon: 1e-6}],
  ['user subclass', () => new HeavyBallOptimizer(0.1), {learningRate: 0.1}],
];

describe.each(CASES)('%s', (_name, make, has) => {
  test('reads exactly the hyperparameters the inner optimizer has', () => {
    const lso = new LossScaleOptimizer(make());
    const read = Object.fromEntries(NAMES.map((n) => [n, lso[n]]).filter(([, v]) => v !== undefined));
    expect(read).toEqual(has);
    lso.dispose();
  });

  test("setting one sets the inner optimizer's; a new learning rate or momentum changes the next step", () => {
    const run = (set: (lso: LossScaleOptimizer) => void) => {
      const v = tf.variable(tf.tensor1d([1, -2]), true, 'v');
      const lso = new LossScaleOptimizer(make(), {initialScale: 4});
      lso.minimize(() => tf.sum(tf.square(v)) as tf.Scalar);
      set(lso);
      lso.minimize(() => tf.sum(tf.square(v)) as tf.Scalar);
      const out = Array.from(v.dataSync());
      lso.dispose();
      v.dispose();
      return out;
    };
    // New values far enough from the old ones to show in two steps.
    const NEW: Record<Name, number> = {learningRate: 0.5, momentum: 0.1, beta1: 0.1, beta2: 0.5, epsilon: 1, decay: 0.1, rho: 0.1};
    for (const name of Object.keys(has) as Name[]) {
      const value = NEW[name];
      let config: tf.serialization.ConfigDict = {};
      const viaWrapper = run((lso) => {
        lso[name] = value;
        expect(lso[name]).toBe(value);
        config = lso.innerOptimizer.getConfig();
      });
      expect(config[name]).toBe(value);
      // The learning rate always changes the next step; so does momentum,
      // which tfjs's MomentumOptimizer caches as a tensor. (The others can be
      // too weak to show in two steps: Adamax's beta2, Adadelta's rho.)
      if (name !== 'learningRate' && name !== 'momentum') {
        continue;
      }
      expect([name, viaWrapper]).not.toEqual([name, run(() => {})]);
    }
  });
});

describe('refusals', () => {
  test('a hyperparameter the inner optimizer does not have', () => {
    const lso = new LossScaleOptimizer(tf.train.sgd(0.1));
    expect(lso.beta1).toBeUndefined();
    expect(() => {
      lso.beta1 = 0.5;
    }).toThrow(
      "LossScaleOptimizer: the inner optimizer (a SGD) has no hyperparameter 'beta1'; it has learningRate. " +
        'Set other attributes on lso.innerOptimizer.',
    );
    expect((lso.innerOptimizer as unknown as {beta1?: number}).beta1).toBeUndefined();
    lso.dispose();
  });

  test.each([
    ['a string', '0.1', "received '0.1'"],
    ['NaN', NaN, 'received NaN'],
    ['Infinity', Infinity, 'received Infinity'],
  ])('a learning rate that is %s', (_name, value, received) => {
    const lso = new LossScaleOptimizer(tf.train.adam(0.1));
    expect(() => {
      lso.learningRate = value as number;
    }).toThrow(`LossScaleOptimizer: learningRate must be a finite number; ${received}.`);
    expect(lso.learningRate).toBe(0.1);
    lso.dispose();
  });

  test('structural flags are not forwarded (as Keras does not forward non-hyperparameters)', () => {
    const lso = new LossScaleOptimizer(tf.train.momentum(0.1, 0.9, true));
    expect((lso as unknown as {useNesterov?: boolean}).useNesterov).toBeUndefined();
    lso.dispose();
  });
});
