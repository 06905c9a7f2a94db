import {describeValue} from '../dtypes';
import {LooseConfig, optimizerFromKerasConfig, readKey, refuseUnsupportedKerasFeatures} from './keras_optimizer_config';
import {LossScaleOptions} from './loss_scale_options';
import * as tf from '@tensorflow/tfjs';

/**
 * The class names a serialized loss-scale optimizer carries: ours and Keras
 * 3's, and tf.keras 2.x's for its legacy (V1) and new (V3, what 2.11-2.15's
 * auto-wrapping `compile` writes into a training config) optimizers.
 */
export const LOSS_SCALE_CLASS_NAMES: readonly string[] = ['LossScaleOptimizer', 'LossScaleOptimizerV1', 'LossScaleOptimizerV3'];

/** What a serialized loss-scale optimizer holds: the inner optimizer and the options. */
export interface LossScaleOptimizerParts {
  innerOptimizer: tf.Optimizer;
  options: LossScaleOptions;
}

// Our own options beyond Keras's, as getConfig() writes them.
const EXTRA_OPTIONS: [string, keyof LossScaleOptions][] = [
  ['growth_factor', 'growthFactor'],
  ['backoff_factor', 'backoffFactor'],
  ['min_scale', 'minScale'],
  ['max_scale', 'maxScale'],
];

/**
 * Reads a serialized loss-scale optimizer, with snake_case keys or camelCased
 * by tfjs's loader, whole (`{class_name: 'LossScaleOptimizer', config}`) or
 * just its `config`:
 * - ours (`LossScaleOptimizer.getConfig()`): `{innerOptimizer, dynamic,
 *   initialScale, dynamicGrowthSteps, growthFactor, backoffFactor, minScale, maxScale}`;
 * - tf.keras 2.4+: `{inner_optimizer, dynamic, initial_scale, dynamic_growth_steps}`
 *   (`dynamic_growth_steps` is null for a fixed scale);
 * - Keras 3: `{inner_optimizer, initial_scale, dynamic_growth_steps, name, ...}`
 *   (always dynamic);
 * - TF 2.3's experimental form: `{optimizer, loss_scale}` with `loss_scale`
 *   one of `{class_name: 'DynamicLossScale', config: {initial_loss_scale,
 *   increment_period, multiplier}}` (the scale grows by `multiplier` and backs
 *   off by dividing by it), `{class_name: 'FixedLossScale', config:
 *   {loss_scale_value}}`, a number (fixed) or `'dynamic'`.
 * The inner optimizer is read by `optimizerFromKerasConfig`. Keys that do not
 * affect training (`name`, Keras 3's unused base-optimizer fields) are ignored.
 *
 * @example
 * readLossScaleOptimizerConfig({inner_optimizer: {class_name: 'SGD', config: {learning_rate: 0.1}},
 *                               dynamic: false, initial_scale: 128, dynamic_growth_steps: null});
 * // {innerOptimizer: tf.train.sgd(0.1), options: {dynamic: false, initialScale: 128}}
 */
export function readLossScaleOptimizerConfig(config: unknown): LossScaleOptimizerParts {
  const outer = asObject('config', config);
  const className = readKey(outer, 'class_name');
  if (className !== undefined) {
    if (!LOSS_SCALE_CLASS_NAMES.includes(className as string)) {
      throw new Error(
        `lossScaleOptimizerFromKerasConfig reads LossScaleOptimizer configs; received class_name ` +
          `${describeValue(className)}. For a plain optimizer use tf.train.* or optimizerFromKerasConfig.`,
      );
    }
    return readLossScaleOptimizerConfig(outer['config']);
  }
  // Keras 3 writes the base optimizer fields too; refuse the ones that matter.
  refuseUnsupportedKerasFeatures('LossScaleOptimizer', outer);
  const legacyLossScale = readKey(outer, 'loss_scale');
  if (legacyLossScale !== undefined) {
    const options = legacyOptions(legacyLossScale);
    return {innerOptimizer: optimizerFromKerasConfig('optimizer', readKey(outer, 'optimizer')), options};
  }
  const innerOptimizer = optimizerFromKerasConfig('inner_optimizer', readKey(outer, 'inner_optimizer'));
  const dynamic = readKey(outer, 'dynamic') ?? true;
  const initialScale = readKey(outer, 'initial_scale');
  const growthSteps = readKey(outer, 'dynamic_growth_steps');
  const options: Record<string, unknown> = {dynamic};
  if (initialScale != null) {
    options['initialScale'] = initialScale;
  }
  // Keras writes dynamic_growth_steps: null for a fixed scale.
  if (growthSteps != null) {
    options['dynamicGrowthSteps'] = growthSteps;
  }
  for (const [key, option] of EXTRA_OPTIONS) {
    const value = readKey(outer, key);
    if (value != null) {
      options[option] = value;
    }
  }
  return {innerOptimizer, options: options as LossScaleOptions};
}

function legacyOptions(lossScale: unknown): LossScaleOptions {
  if (typeof lossScale === 'number') {
    return {dynamic: false, initialScale: lossScale};
  }
  if (lossScale === 'dynamic') {
    return {dynamic: true};
  }
  const obj = asObject('loss_scale', lossScale);
  const className = readKey(obj, 'class_name');
  const config = asObject('loss_scale.config', obj['config'] ?? {});
  if (className === 'FixedLossScale') {
    return {dynamic: false, initialScale: readKey(config, 'loss_scale_value') as number};
  }
  if (className === 'DynamicLossScale') {
    const options: LossScaleOptions = {dynamic: true};
    const initial = readKey(config, 'initial_loss_scale');
    const period = readKey(config, 'increment_period');
    const multiplier = readKey(config, 'multiplier');
    if (initial != null) {
      options.initialScale = initial as number;
    }
    if (period != null) {
      options.dynamicGrowthSteps = period as number;
    }
    if (multiplier != null) {
      if (typeof multiplier !== 'number' || !(multiplier > 1) || !Number.isFinite(multiplier)) {
        throw new Error(`loss_scale.config.multiplier must be a finite number > 1; received ${describeValue(multiplier)}.`);
      }
      options.growthFactor = multiplier;
      options.backoffFactor = 1 / multiplier;
    }
    return options;
  }
  throw new Error(
    `loss_scale must be a number, 'dynamic', or {class_name: 'DynamicLossScale' | 'FixedLossScale', config}; ` +
      `received ${describeValue(lossScale)}.`,
  );
}

function asObject(name: string, value: unknown): LooseConfig {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`${name} must be an object; received ${describeValue(value)}.`);
  }
  return value as LooseConfig;
}
