import * as tf from '@tensorflow/tfjs';

import {Json} from '../../src/keras_format/json';
import {kerasCompileArgs} from '../../src/keras_format/keras_training_config';
import {LossScaleOptimizer, isLossScaleOptimizer} from '../../src/loss_scale/loss_scale_optimizer';
import {deepFreeze} from './deep_freeze';

const sgd = {class_name: 'SGD', config: {name: 'SGD', learning_rate: 0.01, decay: 0.0, momentum: 0.0, nesterov: false}};

function compileArgs(trainingConfig: Json) {
  const args = kerasCompileArgs(deepFreeze(trainingConfig), "'m'");
  const optimizer = args.optimizer as tf.Optimizer;
  const summary = {optimizer: optimizer.getClassName(), loss: args.loss, metrics: args.metrics};
  optimizer.dispose();
  return summary;
}

beforeAll(() => tf.setBackend('cpu'));

describe('kerasCompileArgs', () => {
  const cases: Array<[string, Json, object]> = [
    [
      'Keras 2.4 (the keras2.4-linear fixture)',
      {loss: 'mean_squared_error', metrics: null, weighted_metrics: null, loss_weights: null, optimizer_config: sgd},
      {optimizer: 'SGD', loss: 'meanSquaredError', metrics: undefined},
    ],
    [
      "Keras 2.11: 'Custom>Adam', per-output metric lists of MeanMetricWrapper",
      {
        loss: 'sparse_categorical_crossentropy',
        metrics: [[{class_name: 'MeanMetricWrapper', config: {name: 'accuracy', dtype: 'float32', fn: 'sparse_categorical_accuracy'}}]],
        weighted_metrics: null,
        loss_weights: null,
        optimizer_config: {
          class_name: 'Custom>Adam',
          config: {name: 'Adam', weight_decay: null, clipnorm: null, global_clipnorm: null, clipvalue: null, use_ema: false, jit_compile: false, is_legacy_optimizer: false, learning_rate: 0.001, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, amsgrad: false},
        },
      },
      {optimizer: 'Adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy']},
    ],
    [
      'Keras 3.4: RMSprop, metrics list',
      {
        loss: 'binary_crossentropy',
        loss_weights: null,
        metrics: ['accuracy'],
        weighted_metrics: null,
        run_eagerly: false,
        optimizer_config: {class_name: 'RMSprop', config: {name: 'rmsprop', learning_rate: 0.001, rho: 0.9, momentum: 0.0, epsilon: 1e-7, centered: false, loss_scale_factor: null, gradient_accumulation_steps: null}},
      },
      {optimizer: 'RMSProp', loss: 'binaryCrossentropy', metrics: ['accuracy']},
    ],
    [
      'Keras 3 loss and metric objects, aliases',
      {
        loss: {module: 'keras.losses', class_name: 'CategoricalCrossentropy', config: {from_logits: false, label_smoothing: 0.0}, registered_name: null},
        metrics: [{class_name: 'CategoricalAccuracy', config: {name: 'categorical_accuracy'}}, 'mean_squared_error', {class_name: 'MeanMetricWrapper', config: {name: 'my_mae', fn: 'mean_absolute_error'}}],
        optimizer_config: sgd,
      },
      {optimizer: 'SGD', loss: 'categoricalCrossentropy', metrics: ['categoricalAccuracy', 'mse', 'mae']},
    ],
    [
      'short loss aliases, per-output losses',
      {loss: ['mse', 'kld', 'log_cosh'], optimizer_config: sgd},
      {optimizer: 'SGD', loss: ['meanSquaredError', 'kullbackLeiblerDivergence', 'logcosh'], metrics: undefined},
    ],
    ['a loss per named output', {loss: {out_a: 'mae', out_b: 'hinge'}, optimizer_config: sgd}, {optimizer: 'SGD', loss: {out_a: 'meanAbsoluteError', out_b: 'hinge'}, metrics: undefined}],
  ];
  it.each(cases)('%s', (_, config, expected) => {
    expect(compileArgs(config)).toEqual(expected);
  });

  it.each([
    ['loss weights', {loss: 'mse', loss_weights: [1, 2], optimizer_config: sgd}, /^'m': training_config.loss_weights = \[1,2\] is not supported by tfjs/],
    ['weighted metrics', {loss: 'mse', weighted_metrics: ['mae'], optimizer_config: sgd}, /training_config.weighted_metrics/],
    ['a loss with from_logits', {loss: {class_name: 'BinaryCrossentropy', config: {from_logits: true}}, optimizer_config: sgd}, /training_config.loss: BinaryCrossentropy with from_logits/],
    ['no loss', {optimizer_config: sgd}, /^'m': training_config.loss must be a loss name or a Keras loss object; received undefined/],
    ['metrics for several outputs', {loss: 'mse', metrics: {a: ['mae']}, optimizer_config: sgd}, /only a list of metrics/],
    ['a Keras optimizer feature tfjs lacks', {loss: 'mse', optimizer_config: {class_name: 'Adam', config: {learning_rate: 0.1, amsgrad: true}}}, /amsgrad = true has no tfjs equivalent/],
    ['not an object', 'mse', /^'m': training_config must be an object; received 'mse'/],
  ] as Array<[string, Json, RegExp]>)('refuses %s, leaking no tensor', (_, config, message) => {
    const before = tf.memory().numTensors;
    expect(() => kerasCompileArgs(config, "'m'")).toThrow(message);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('kerasCompileArgs reads the loss-scale optimizers Keras compile writes for mixed_float16 models', () => {
  const adam = {class_name: 'Adam', config: {name: 'Adam', learning_rate: 0.002, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, amsgrad: false}};
  const cases: Array<[string, Json, {inner: string; dynamic: boolean; scale: number}]> = [
    [
      "tf-keras 2.11-2.12 LossScaleOptimizerV3 around a 'Custom>Adam'",
      {class_name: 'LossScaleOptimizerV3', config: {inner_optimizer: {...adam, class_name: 'Custom>Adam'}, dynamic: true, initial_scale: 32768.0, dynamic_growth_steps: 2000}},
      {inner: 'Adam', dynamic: true, scale: 32768},
    ],
    [
      'tf-keras 2.13-2.15 LossScaleOptimizerV3 (module, registered_name)',
      {
        module: 'keras.mixed_precision',
        class_name: 'LossScaleOptimizerV3',
        config: {inner_optimizer: {module: 'keras.optimizers', ...adam, registered_name: null}, dynamic: false, initial_scale: 128.0, dynamic_growth_steps: null},
        registered_name: 'LossScaleOptimizerV3',
      },
      {inner: 'Adam', dynamic: false, scale: 128},
    ],
    [
      "tf-keras's experimental LossScaleOptimizerV1 (TF 2.3 form)",
      {class_name: 'LossScaleOptimizerV1', config: {optimizer: sgd, loss_scale: {class_name: 'DynamicLossScale', config: {initial_loss_scale: 1024, increment_period: 100, multiplier: 2}}}},
      {inner: 'SGD', dynamic: true, scale: 1024},
    ],
    [
      'Keras 3 LossScaleOptimizer',
      {module: 'keras.optimizers', class_name: 'LossScaleOptimizer', config: {name: 'loss_scale_optimizer', inner_optimizer: adam, initial_scale: 32768.0, dynamic_growth_steps: 2000}, registered_name: null},
      {inner: 'Adam', dynamic: true, scale: 32768},
    ],
  ];
  it.each(cases)('%s', (_, optimizerConfig, expected) => {
    const before = tf.memory().numTensors;
    const args = kerasCompileArgs(deepFreeze({loss: 'mse', optimizer_config: optimizerConfig}), "'m'");
    const lso = args.optimizer as LossScaleOptimizer;
    expect(isLossScaleOptimizer(lso)).toBe(true);
    expect({inner: lso.innerOptimizer.getClassName(), dynamic: lso.dynamic, scale: lso.lossScale}).toEqual(expected);
    lso.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names the training_config field and the class when the loss-scale config is bad', () => {
    expect(() =>
      kerasCompileArgs({loss: 'mse', optimizer_config: {class_name: 'LossScaleOptimizerV3', config: {inner_optimizer: {class_name: 'Nadam', config: {}}}}}, "'m'"),
    ).toThrow(/^'m': training_config\.optimizer_config \(LossScaleOptimizerV3\): inner_optimizer: unknown optimizer class 'Nadam'/);
  });
});
