import * as tf from '@tensorflow/tfjs';
import {LossScaleOptimizer} from '../../src/loss_scale/loss_scale_optimizer';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('what the wrapper refuses as inner optimizer, at construction', () => {
  test('an object that merely looks like an optimizer (tfjs instanceof says yes)', () => {
    const duck = {minimize() {}, computeGradients() {}, applyGradients() {}};
    expect(duck instanceof tf.Optimizer).toBe(true); // what tfjs's duck-typed check says
    expect(() => new LossScaleOptimizer(duck as unknown as tf.Optimizer)).toThrow(
      "LossScaleOptimizer's innerOptimizer must be a tf.Optimizer such as tf.train.adam(0.001); received an object " +
        "with minimize, computeGradients, applyGradients that does not extend tf.Optimizer (tfjs's instanceof " +
        'accepts such look-alikes, but the wrapper also needs getClassName, getConfig, getWeights, setWeights and ' +
        'dispose). Extend tf.Optimizer, and use the same copy of @tensorflow/tfjs as this package.',
    );
  });

  test('a class instance with the methods, not extending tf.Optimizer', () => {
    class Lookalike {
      minimize() {}
      computeGradients() {}
      applyGradients() {}
      getClassName() {
        return 'Lookalike';
      }
    }
    expect(() => new LossScaleOptimizer(new Lookalike() as unknown as tf.Optimizer)).toThrow(
      /received an object with minimize, computeGradients, applyGradients that does not extend tf\.Optimizer/,
    );
  });

  test('the same inner optimizer twice (Keras: "already wrapped by a LossScaleOptimizer")', () => {
    const inner = tf.train.adam(0.1);
    const first = new LossScaleOptimizer(inner);
    expect(() => new LossScaleOptimizer(inner)).toThrow(
      'LossScaleOptimizer: this innerOptimizer (a Adam) is already wrapped by a LossScaleOptimizer; an optimizer can ' +
        'only be wrapped by one. Use that LossScaleOptimizer, or wrap a new optimizer (e.g. tf.train.adam(...)).',
    );
    expect(first.innerOptimizer).toBe(inner);
    first.dispose();
  });

  test('an inner optimizer refused for bad options is not marked as wrapped', () => {
    const inner = tf.train.sgd(0.1);
    expect(() => new LossScaleOptimizer(inner, {initialScale: -1})).toThrow(/initialScale must be a positive/);
    const lso = new LossScaleOptimizer(inner);
    expect(lso.innerOptimizer).toBe(inner);
    lso.dispose();
  });
});
