import * as tf from '@tensorflow/tfjs';
import {describeValue} from '../dtypes';

/**
 * The hyperparameters of tfjs's optimizers (`tf.train.*`) that a
 * `LossScaleOptimizer` reads and sets on its inner optimizer, as Keras's does
 * (`lso.learning_rate`). Structural flags (`useNesterov`, `centered`) and
 * creation-time values (`initialAccumulatorValue`) are not forwarded, as
 * Keras does not forward non-hyperparameter attributes.
 */
export const INNER_HYPERPARAMETERS = ['learningRate', 'momentum', 'beta1', 'beta2', 'epsilon', 'decay', 'rho'] as const;

/** A forwarded hyperparameter's name. */
export type InnerHyperparameter = (typeof INNER_HYPERPARAMETERS)[number];

/** The hyperparameters `inner` has: those of `INNER_HYPERPARAMETERS` it holds as numbers. */
export function hyperparametersOf(inner: tf.Optimizer): InnerHyperparameter[] {
  return INNER_HYPERPARAMETERS.filter((name) => typeof (inner as unknown as Record<string, unknown>)[name] === 'number');
}

/** `inner`'s value of `name`, or undefined when it has no such hyperparameter. */
export function readHyperparameter(inner: tf.Optimizer, name: InnerHyperparameter): number | undefined {
  const value = (inner as unknown as Record<string, unknown>)[name];
  return typeof value === 'number' ? value : undefined;
}

/**
 * Sets `inner`'s `name` through its setter when it has one (SGD and Momentum
 * cache their learning rate as a tensor, which `setLearningRate` refreshes),
 * else on the field its `applyGradients` reads.
 */
export function writeHyperparameter(inner: tf.Optimizer, name: InnerHyperparameter, value: unknown): void {
  const has = hyperparametersOf(inner);
  if (!has.includes(name)) {
    throw new Error(
      `LossScaleOptimizer: the inner optimizer (a ${inner.getClassName()}) has no hyperparameter '${name}'; ` +
        `it has ${has.length > 0 ? has.join(', ') : 'none'}. Set other attributes on lso.innerOptimizer.`,
    );
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`LossScaleOptimizer: ${name} must be a finite number; received ${describeValue(value)}.`);
  }
  const target = inner as unknown as Record<string, unknown>;
  const setter = target[`set${name[0]!.toUpperCase()}${name.slice(1)}`];
  if (typeof setter === 'function') {
    (setter as (v: number) => void).call(inner, value);
  } else {
    target[name] = value;
  }
  // tfjs 4.22's MomentumOptimizer steps with a scalar `m` cached from its
  // momentum, which its own setMomentum does not refresh: refresh it here, so
  // that setting lso.momentum changes the next step, as it does in Keras.
  if (name === 'momentum' && target['m'] instanceof tf.Tensor) {
    const old = target['m'];
    target['m'] = tf.keep(tf.scalar(value));
    old.dispose();
  }
}
