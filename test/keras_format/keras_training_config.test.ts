import * as tf from '@tensorflow/tfjs';

import {Json} from '../../src/keras_format/json';
import {kerasCompileArgs} from '../../src/keras_format/keras_training_config';
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
