import {describeValue} from '../dtypes';

/** The largest finite float32: the default cap, so the scale never becomes Inf. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Options of `LossScaleOptimizer`, with Keras's defaults. Fixed scaling is
 * `{dynamic: false, initialScale}`; the other fields only make sense for
 * dynamic scaling and are refused with `dynamic: false`.
 */
export interface LossScaleOptions {
  /** Adjust the scale from the gradients (default true); false keeps `initialScale` forever. */
  dynamic?: boolean;
  /** Starting scale (default 2^15); required when `dynamic` is false. */
  initialScale?: number;
  /** Consecutive finite steps before the scale grows (default 2000, Keras's). Dynamic only. */
  dynamicGrowthSteps?: number;
  /** Factor applied on growth (default 2, > 1). Dynamic only. */
  growthFactor?: number;
  /** Factor applied after a non-finite step (default 0.5, in (0, 1)). Dynamic only. */
  backoffFactor?: number;
  /** The scale never backs off below this (default 1, Keras 2's floor). Dynamic only. */
  minScale?: number;
  /** The scale never grows above this (default: the largest finite float32). Dynamic only. */
  maxScale?: number;
}

/** Options after `checkOptions`: every field present and valid. */
export type CheckedLossScaleOptions = Readonly<Required<LossScaleOptions>>;

/**
 * The defaults: Keras's (`dynamic`, `initialScale` 2^15, `dynamicGrowthSteps`
 * 2000), and PyTorch's/jmp's for the rest (growth 2, backoff 0.5), with
 * Keras 2's floor of 1 and the largest finite float32 as the cap.
 *
 * @example
 * mp.DEFAULT_LOSS_SCALE_OPTIONS.initialScale; // 32768
 */
export const DEFAULT_LOSS_SCALE_OPTIONS: CheckedLossScaleOptions = Object.freeze({
  dynamic: true,
  initialScale: 2 ** 15,
  dynamicGrowthSteps: 2000,
  growthFactor: 2,
  backoffFactor: 0.5,
  minScale: 1,
  maxScale: FLOAT32_MAX,
});

const OPTION_NAMES = Object.keys(DEFAULT_LOSS_SCALE_OPTIONS) as (keyof LossScaleOptions)[];
const DYNAMIC_ONLY: (keyof LossScaleOptions)[] = [
  'dynamicGrowthSteps',
  'growthFactor',
  'backoffFactor',
  'minScale',
  'maxScale',
];

// Options of the wrapped optimizer, which Keras also refuses on the wrapper.
const INNER_OPTIONS = ['learningRate', 'learning_rate', 'momentum', 'beta1', 'beta2', 'epsilon', 'decay', 'rho',
  'clipnorm', 'clipvalue', 'globalClipnorm', 'global_clipnorm', 'weightDecay', 'weight_decay'];

// Names people bring from Keras, TF 2.3 and PyTorch, so a typo gets a fix.
const FOREIGN_NAMES: Record<string, string> = {
  initial_scale: 'initialScale',
  initialLossScale: 'initialScale',
  initial_loss_scale: 'initialScale',
  init_scale: 'initialScale',
  dynamic_growth_steps: 'dynamicGrowthSteps',
  incrementPeriod: 'dynamicGrowthSteps',
  increment_period: 'dynamicGrowthSteps',
  growth_interval: 'dynamicGrowthSteps',
  growthInterval: 'dynamicGrowthSteps',
  period: 'dynamicGrowthSteps',
  growth_factor: 'growthFactor',
  backoff_factor: 'backoffFactor',
  multiplier: 'growthFactor (and backoffFactor = 1 / multiplier)',
  factor: 'growthFactor (and backoffFactor = 1 / factor)',
  min_loss_scale: 'minScale',
  minLossScale: 'minScale',
  max_loss_scale: 'maxScale',
  maxLossScale: 'maxScale',
  lossScale: 'initialScale (with dynamic: false for a fixed scale)',
  loss_scale: 'initialScale (with dynamic: false for a fixed scale)',
};

/**
 * Validates and completes `LossScaleOptions` once, so the optimizer never
 * sees a bad value. Errors name the option, the value received and what is
 * valid, and say how to fix it.
 *
 * @example
 * checkOptions({dynamic: false, initialScale: 128});
 * // {dynamic: false, initialScale: 128, dynamicGrowthSteps: 2000, ...defaults}
 */
export function checkOptions(options: LossScaleOptions = {}): CheckedLossScaleOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new Error(
      `LossScaleOptimizer options must be an object such as {dynamic: true, initialScale: 32768}; ` +
        `received ${describeValue(options)}.`,
    );
  }
  for (const key of Object.keys(options)) {
    if (INNER_OPTIONS.includes(key)) {
      throw new Error(
        `LossScaleOptimizer does not support the option '${key}': it belongs to the optimizer being wrapped. ` +
          `Instead, set it on the inner optimizer, e.g. new LossScaleOptimizer(tf.train.adam(0.001)).`,
      );
    }
    if (!(OPTION_NAMES as string[]).includes(key)) {
      const hint = Object.prototype.hasOwnProperty.call(FOREIGN_NAMES, key) ? FOREIGN_NAMES[key] : undefined;
      throw new Error(
        `LossScaleOptimizer does not support the option '${key}'` +
          (hint !== undefined ? `; use ${hint} instead.` : '.') +
          ` Valid options: ${OPTION_NAMES.join(', ')}.`,
      );
    }
  }
  const given = options as Record<string, unknown>;
  const dynamic = given['dynamic'] ?? true;
  if (typeof dynamic !== 'boolean') {
    throw new Error(`LossScaleOptimizer option dynamic must be true or false; received ${describeValue(dynamic)}.`);
  }
  if (!dynamic) {
    for (const key of DYNAMIC_ONLY) {
      if (given[key] !== undefined) {
        throw new Error(
          `LossScaleOptimizer option ${key} only applies to dynamic loss scaling, but dynamic is false ` +
            `(received ${key}: ${describeValue(given[key])}). Remove ${key}, or set dynamic: true.`,
        );
      }
    }
    if (given['initialScale'] === undefined) {
      throw new Error(
        `LossScaleOptimizer option initialScale is required when dynamic is false: a fixed loss scale ` +
          `needs its value, e.g. {dynamic: false, initialScale: 128}.`,
      );
    }
  }
  const d = DEFAULT_LOSS_SCALE_OPTIONS;
  const checked = {
    dynamic,
    initialScale: positive('initialScale', given['initialScale'] ?? d.initialScale),
    dynamicGrowthSteps: growthSteps(given['dynamicGrowthSteps'] ?? d.dynamicGrowthSteps),
    growthFactor: factor('growthFactor', given['growthFactor'] ?? d.growthFactor, 'a finite number > 1'),
    backoffFactor: factor('backoffFactor', given['backoffFactor'] ?? d.backoffFactor, 'a number in (0, 1)'),
    minScale: positive('minScale', given['minScale'] ?? d.minScale),
    maxScale: positive('maxScale', given['maxScale'] ?? d.maxScale),
  };
  if (dynamic) {
    if (checked.minScale > checked.maxScale) {
      throw new Error(
        `LossScaleOptimizer options minScale (${checked.minScale}) and maxScale (${checked.maxScale}) ` +
          `are in the wrong order: minScale must be <= maxScale.`,
      );
    }
    if (checked.initialScale < checked.minScale || checked.initialScale > checked.maxScale) {
      throw new Error(
        `LossScaleOptimizer option initialScale (${checked.initialScale}) must lie between minScale ` +
          `(${checked.minScale}) and maxScale (${checked.maxScale}); change initialScale or widen the bounds.`,
      );
    }
  }
  return Object.freeze(checked);
}

// A scale is stored in a float32 tensor, so it must be a positive float32 that
// is finite and exactly what the tensor will hold.
function positive(name: string, value: unknown): number {
  if (typeof value !== 'number' || !(value > 0) || !(value <= FLOAT32_MAX)) {
    throw new Error(
      `LossScaleOptimizer option ${name} must be a positive finite number no larger than ${FLOAT32_MAX} ` +
        `(the largest float32); received ${describeValue(value)}.`,
    );
  }
  const rounded = Math.fround(value);
  if (rounded === 0) {
    throw new Error(
      `LossScaleOptimizer option ${name} must be representable as a nonzero float32; received ${value}, ` +
        `which rounds to 0.`,
    );
  }
  return rounded;
}

function growthSteps(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new Error(
      `LossScaleOptimizer option dynamicGrowthSteps must be an integer >= 1; received ${describeValue(value)}.`,
    );
  }
  return value;
}

function factor(name: 'growthFactor' | 'backoffFactor', value: unknown, valid: string): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (name === 'growthFactor' ? value > 1 : value > 0 && value < 1);
  if (!ok) {
    throw new Error(`LossScaleOptimizer option ${name} must be ${valid}; received ${describeValue(value)}.`);
  }
  return value as number;
}
