import * as tf from '@tensorflow/tfjs';
import {describeValue} from '../dtypes';
import {deserializeOptimizer} from './optimizer_serialization';

/** A config object whose keys may be snake_case (Keras) or camelCase (after tfjs's loader). */
export type LooseConfig = Record<string, unknown>;

/**
 * Reads `key` (snake_case) or its camelCase form, the way tfjs's loader
 * rewrites Keras keys (`beta_1` -> `beta1`, `initial_scale` -> `initialScale`).
 */
export function readKey(config: LooseConfig, key: string): unknown {
  if (key in config) {
    return config[key];
  }
  const camel = key.replace(/_+(\w|$)/g, (_m, c: string) => c.toUpperCase());
  return config[camel];
}

// Keras optimizer features tfjs's optimizers do not have. Keras writes them
// with "off" values (null / false / 0) even when unused, so only a value that
// would change training is refused.
const UNSUPPORTED_FEATURES: {key: string; off: (v: unknown) => boolean}[] = [
  {key: 'weight_decay', off: (v) => v == null || v === 0},
  {key: 'clipnorm', off: (v) => v == null},
  {key: 'clipvalue', off: (v) => v == null},
  {key: 'global_clipnorm', off: (v) => v == null},
  {key: 'use_ema', off: (v) => v == null || v === false},
  {key: 'amsgrad', off: (v) => v == null || v === false},
  {key: 'gradient_accumulation_steps', off: (v) => v == null},
  {key: 'loss_scale_factor', off: (v) => v == null || v === 1},
];

/** Refuses Keras optimizer options that tfjs cannot honour, naming the fix. */
export function refuseUnsupportedKerasFeatures(where: string, config: LooseConfig): void {
  for (const {key, off} of UNSUPPORTED_FEATURES) {
    const value = readKey(config, key);
    if (!off(value)) {
      throw new Error(
        `${where}: ${key} = ${describeValue(value)} has no tfjs equivalent, so this optimizer cannot be ` +
          `rebuilt faithfully. Re-save the Keras model without ${key}, or build the tfjs optimizer ` +
          `yourself and wrap it: new LossScaleOptimizer(tf.train.adam(...)).`,
      );
    }
  }
}

// Keras 2.11-2.12 write their new optimizers as 'Custom>Adam'.
function withoutCustomPrefix(className: unknown): unknown {
  return typeof className === 'string' && className.startsWith('Custom>') ? className.slice('Custom>'.length) : className;
}

type Builder = (read: (key: string, fallback: number | boolean) => number | boolean) => tf.Optimizer;

const num = (v: number | boolean) => v as number;

// Keras's optimizer class names, with Keras's defaults, mapped onto tf.train's
// constructors. Exact spelling matters: tfjs's own 'RMSProp' (whose `decay` is
// Keras's `rho`) and 'Momentum' go to the tfjs registry instead. The configs
// tfjs writes for SGD, Adam, Adamax, Adagrad and Adadelta read the same here.
const KERAS_OPTIMIZERS: Record<string, Builder> = {
  SGD: (r) =>
    num(r('momentum', 0)) === 0
      ? tf.train.sgd(num(r('learning_rate', 0.01)))
      : tf.train.momentum(num(r('learning_rate', 0.01)), num(r('momentum', 0)), r('nesterov', false) as boolean),
  Adam: (r) =>
    tf.train.adam(num(r('learning_rate', 0.001)), num(r('beta_1', 0.9)), num(r('beta_2', 0.999)), num(r('epsilon', 1e-7))),
  Adamax: (r) =>
    tf.train.adamax(
      num(r('learning_rate', 0.001)),
      num(r('beta_1', 0.9)),
      num(r('beta_2', 0.999)),
      num(r('epsilon', 1e-7)),
      num(r('decay', 0)),
    ),
  RMSprop: (r) =>
    tf.train.rmsprop(
      num(r('learning_rate', 0.001)),
      // Keras's rho is tfjs's decay.
      num(r('rho', 0.9)),
      num(r('momentum', 0)),
      num(r('epsilon', 1e-7)),
      r('centered', false) as boolean,
    ),
  Adagrad: (r) => tf.train.adagrad(num(r('learning_rate', 0.001)), num(r('initial_accumulator_value', 0.1))),
  Adadelta: (r) => tf.train.adadelta(num(r('learning_rate', 0.001)), num(r('rho', 0.95)), num(r('epsilon', 1e-7))),
};

/**
 * Builds a tfjs optimizer from a Keras optimizer config,
 * `{class_name, config, module?, registered_name?}` (tf.keras 2.x and Keras 3,
 * snake_case or camelCased by tfjs): SGD (with momentum/nesterov),
 * Adam, Adamax, RMSprop, Adagrad, Adadelta. Anything else is looked up in
 * tfjs's serialization registry (tfjs configs, registered custom optimizers).
 *
 * @example
 * optimizerFromKerasConfig({class_name: 'RMSprop', config: {learning_rate: 0.01, rho: 0.8}});
 * // tf.train.rmsprop(0.01, 0.8, 0, 1e-7, false)
 */
export function optimizerFromKerasConfig(argName: string, serialized: unknown): tf.Optimizer {
  if (serialized === null || typeof serialized !== 'object' || Array.isArray(serialized)) {
    throw new Error(
      `${argName} must be a serialized optimizer {class_name, config}; received ${describeValue(serialized)}.`,
    );
  }
  const obj = serialized as LooseConfig;
  const className = withoutCustomPrefix(readKey(obj, 'class_name'));
  const config = (obj['config'] ?? {}) as LooseConfig;
  if (typeof className !== 'string' || typeof config !== 'object' || config === null) {
    throw new Error(
      `${argName} must be a serialized optimizer {class_name, config}; received ${describeValue(serialized)}.`,
    );
  }
  const builder = Object.prototype.hasOwnProperty.call(KERAS_OPTIMIZERS, className)
    ? KERAS_OPTIMIZERS[className]
    : undefined;
  if (builder === undefined) {
    return deserializeOptimizer(argName, {className, config});
  }
  const where = `${argName} (${className})`;
  refuseUnsupportedKerasFeatures(where, config);
  const decay = readKey(config, 'decay');
  if (className !== 'Adamax' && decay != null && decay !== 0) {
    throw new Error(
      `${where}: decay = ${describeValue(decay)} (Keras's learning-rate time decay) has no tfjs equivalent ` +
        `for this optimizer; re-save with decay 0 or set the learning rate yourself.`,
    );
  }
  return builder((key, fallback) => {
    const value = readKey(config, key);
    if (value == null) {
      return fallback;
    }
    if (typeof value !== typeof fallback) {
      throw new Error(
        `${where}: ${key} must be a ${typeof fallback}; received ${describeValue(value)}` +
          (key === 'learning_rate' ? ' (learning-rate schedules are not supported: use a fixed rate).' : '.'),
      );
    }
    return value as number | boolean;
  });
}
