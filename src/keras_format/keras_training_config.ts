import * as tf from '@tensorflow/tfjs';

import {describeValue} from '../dtypes';
import {LOSS_SCALE_CLASS_NAMES} from '../loss_scale/keras_loss_scale_config';
import {optimizerFromKerasConfig} from '../loss_scale/keras_optimizer_config';
import {lossScaleOptimizerFromKerasConfig} from '../loss_scale/loss_scale_optimizer';
import {Json, JsonObject, isJsonObject} from './json';

// Keras loss and metric names with a different tfjs spelling (after
// camelCasing). Keras's short aliases resolve to tfjs's long loss names; its
// long metric names to tfjs's short metric names.
const LOSS_ALIASES: Readonly<Record<string, string>> = {
  mse: 'meanSquaredError',
  mae: 'meanAbsoluteError',
  mape: 'meanAbsolutePercentageError',
  msle: 'meanSquaredLogarithmicError',
  kld: 'kullbackLeiblerDivergence',
  klDivergence: 'kullbackLeiblerDivergence',
  logCosh: 'logcosh',
};
const METRIC_ALIASES: Readonly<Record<string, string>> = {
  meanSquaredError: 'mse',
  meanAbsoluteError: 'mae',
  meanAbsolutePercentageError: 'mape',
  cosineSimilarity: 'cosine',
};

/** tfjs's own camelCasing of Keras identifiers ('binary_crossentropy' -> 'binaryCrossentropy'). */
function camel(name: string): string {
  return name.replace(/[_]+(\w)/g, (_m, c: string) => c.toUpperCase());
}

/**
 * The `model.compile` arguments for a Keras `training_config` (the one the
 * tfjs converter writes into `modelTopology`, which stock tfjs ignores): the
 * optimizer rebuilt from its Keras config (Keras 2's `Custom>` prefix
 * dropped), the loss and metrics under their tfjs names. Refuses what tfjs
 * cannot reproduce (loss weights, weighted metrics, `from_logits` or label
 * smoothing) instead of dropping it. `where` names the model in errors.
 *
 * @example
 * model.compile(kerasCompileArgs(modelJson.modelTopology.training_config, 'model.json'));
 */
export function kerasCompileArgs(trainingConfig: unknown, where: string): tf.ModelCompileArgs {
  if (!isJsonObject(trainingConfig as Json)) {
    throw new Error(`${where}: training_config must be an object; received ${describeValue(trainingConfig)}.`);
  }
  const config = trainingConfig as JsonObject;
  for (const key of ['loss_weights', 'weighted_metrics', 'sample_weight_mode']) {
    if (config[key] != null) {
      throw new Error(`${where}: training_config.${key} = ${describeValue(config[key])} is not supported by tfjs; compile the model yourself.`);
    }
  }
  const loss = readLosses(config['loss'], `${where}: training_config.loss`);
  const metrics = readMetrics(config['metrics'], `${where}: training_config.metrics`);
  // Last: an optimizer holds tensors, which an error above would leak.
  const optimizer = readOptimizer(withoutCustomPrefix(config['optimizer_config']), `${where}: training_config.optimizer_config`);
  return metrics === undefined ? {optimizer, loss} : {optimizer, loss, metrics};
}

// A Keras loss-scale optimizer (tf.keras 2.x's V1 and V3 included: what
// its compile writes for a mixed_float16 model) or a plain one.
function readOptimizer(optimizerConfig: Json | undefined, where: string): tf.Optimizer {
  const className = isJsonObject(optimizerConfig) ? optimizerConfig['class_name'] : undefined;
  if (typeof className === 'string' && LOSS_SCALE_CLASS_NAMES.includes(className)) {
    try {
      return lossScaleOptimizerFromKerasConfig(optimizerConfig);
    } catch (e) {
      throw new Error(`${where} (${className}): ${(e as Error).message}`);
    }
  }
  return optimizerFromKerasConfig(where, optimizerConfig);
}

// Keras 2.11+ writes its new optimizers as 'Custom>Adam'.
function withoutCustomPrefix(optimizerConfig: Json | undefined): Json | undefined {
  if (!isJsonObject(optimizerConfig)) {
    return optimizerConfig;
  }
  const className = optimizerConfig['class_name'];
  return typeof className === 'string' && className.startsWith('Custom>')
    ? {...optimizerConfig, class_name: className.slice('Custom>'.length)}
    : optimizerConfig;
}

function readLosses(loss: Json | undefined, where: string): string | string[] | {[output: string]: string} {
  if (Array.isArray(loss)) {
    return loss.map((l, i) => readLoss(l, `${where}[${i}]`));
  }
  if (isJsonObject(loss) && typeof loss['class_name'] !== 'string') {
    const out: {[output: string]: string} = {};
    for (const [output, l] of Object.entries(loss)) {
      out[output] = readLoss(l, `${where}.${output}`);
    }
    return out;
  }
  return readLoss(loss, where);
}

// A loss by name ('binary_crossentropy') or as a Keras 3 object
// ({class_name: 'BinaryCrossentropy', config: {from_logits, ...}}).
function readLoss(loss: Json | undefined, where: string): string {
  let name: string;
  if (typeof loss === 'string') {
    name = camel(loss);
  } else if (isJsonObject(loss) && typeof loss['class_name'] === 'string') {
    const config = isJsonObject(loss['config']) ? loss['config'] : {};
    if (config['from_logits'] === true || (typeof config['label_smoothing'] === 'number' && config['label_smoothing'] !== 0)) {
      throw new Error(
        `${where}: ${loss['class_name']} with from_logits or label_smoothing has no tfjs equivalent; compile the model yourself.`,
      );
    }
    name = lowerFirst(loss['class_name']);
  } else {
    throw new Error(`${where} must be a loss name or a Keras loss object; received ${describeValue(loss)}.`);
  }
  return LOSS_ALIASES[name] ?? name;
}

function readMetrics(metrics: Json | undefined, where: string): string[] | undefined {
  if (metrics === null || metrics === undefined) {
    return undefined;
  }
  if (!Array.isArray(metrics)) {
    throw new Error(`${where}: only a list of metrics (one model output) is supported; received ${describeValue(metrics)}.`);
  }
  // Keras 2.x nests the metrics per output: [[...]] for one output.
  const flat = metrics.length === 1 && Array.isArray(metrics[0]) ? metrics[0] : metrics;
  return flat.map((m, i) => readMetric(m, `${where}[${i}]`));
}

// 'accuracy', 'mean_squared_error', a Keras 2 MeanMetricWrapper
// ({config: {name: 'accuracy', fn: 'sparse_categorical_accuracy'}}) or a
// Keras 3 metric object ({class_name: 'BinaryAccuracy'}).
function readMetric(metric: Json, where: string): string {
  let name: string;
  if (typeof metric === 'string') {
    name = camel(metric);
  } else if (isJsonObject(metric) && typeof metric['class_name'] === 'string') {
    const config = isJsonObject(metric['config']) ? metric['config'] : {};
    const fn = config['fn'];
    const ownName = config['name'];
    if (metric['class_name'] === 'MeanMetricWrapper' && (ownName === 'accuracy' || ownName === 'acc')) {
      name = ownName;
    } else if (metric['class_name'] === 'MeanMetricWrapper' && typeof fn === 'string') {
      name = camel(fn);
    } else {
      name = lowerFirst(metric['class_name']);
    }
  } else {
    throw new Error(`${where} must be a metric name or a Keras metric object; received ${describeValue(metric)}.`);
  }
  return METRIC_ALIASES[name] ?? name;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
