import * as tf from '@tensorflow/tfjs';
import {lossScaleOptimizerFromKerasConfig} from '../../src/loss_scale/loss_scale_optimizer';
import {optimizerFromKerasConfig} from '../../src/loss_scale/keras_optimizer_config';
import {FLOAT32_MAX} from '../../src/loss_scale/loss_scale_options';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const KERAS2_SGD = {class_name: 'SGD', config: {name: 'SGD', learning_rate: 0.1, decay: 0.0, momentum: 0.0, nesterov: false}};
const KERAS_NEW_ADAM = {
  module: 'keras.optimizers',
  class_name: 'Adam',
  config: {
    name: 'Adam', weight_decay: null, clipnorm: null, global_clipnorm: null, clipvalue: null, use_ema: false,
    ema_momentum: 0.99, ema_overwrite_frequency: null, jit_compile: true, is_legacy_optimizer: false,
    learning_rate: 0.002, beta_1: 0.8, beta_2: 0.99, epsilon: 1e-8, amsgrad: false,
  },
  registered_name: null,
};
const DYNAMIC_DEFAULTS = {growthFactor: 2, backoffFactor: 0.5, minScale: 1, maxScale: FLOAT32_MAX};

// [name, Keras config, expected getConfig() of the result]
const CASES: [string, unknown, unknown][] = [
  [
    'tf.keras 2.4+ dynamic',
    {inner_optimizer: KERAS2_SGD, dynamic: true, initial_scale: 32768.0, dynamic_growth_steps: 2000},
    {innerOptimizer: {className: 'SGD', config: {learningRate: 0.1}}, dynamic: true, initialScale: 32768, dynamicGrowthSteps: 2000, ...DYNAMIC_DEFAULTS},
  ],
  [
    'tf.keras 2.4+ fixed (dynamic_growth_steps null)',
    {inner_optimizer: KERAS2_SGD, dynamic: false, initial_scale: 128.0, dynamic_growth_steps: null},
    {innerOptimizer: {className: 'SGD', config: {learningRate: 0.1}}, dynamic: false, initialScale: 128},
  ],
  [
    'Keras 2.13 whole object with module and a new-style Adam',
    {
      module: 'keras.mixed_precision',
      class_name: 'LossScaleOptimizer',
      config: {inner_optimizer: KERAS_NEW_ADAM, dynamic: true, initial_scale: 1024.0, dynamic_growth_steps: 100},
      registered_name: null,
    },
    {innerOptimizer: {className: 'Adam', config: {learningRate: 0.002, beta1: 0.8, beta2: 0.99, epsilon: 1e-8}}, dynamic: true, initialScale: 1024, dynamicGrowthSteps: 100, ...DYNAMIC_DEFAULTS},
  ],
  [
    "tf.keras 2.11+ LossScaleOptimizerV3 (new-style inner optimizer)",
    {class_name: 'LossScaleOptimizerV3', config: {inner_optimizer: KERAS_NEW_ADAM, dynamic: false, initial_scale: 8.0, dynamic_growth_steps: null}},
    {innerOptimizer: {className: 'Adam', config: {learningRate: 0.002, beta1: 0.8, beta2: 0.99, epsilon: 1e-8}}, dynamic: false, initialScale: 8},
  ],
  [
    'Keras 3 (no dynamic key, base optimizer fields present)',
    {
      name: 'loss_scale_optimizer', weight_decay: null, clipnorm: null, global_clipnorm: null, clipvalue: null,
      use_ema: false, ema_momentum: 0.99, ema_overwrite_frequency: null, loss_scale_factor: null,
      gradient_accumulation_steps: null,
      inner_optimizer: {module: 'keras.optimizers', class_name: 'RMSprop', config: {name: 'rmsprop', learning_rate: 0.01, rho: 0.8, momentum: 0.1, epsilon: 1e-7, centered: true}, registered_name: null},
      initial_scale: 32768.0,
      dynamic_growth_steps: 2000,
    },
    {innerOptimizer: {className: 'RMSProp', config: {learningRate: 0.01, decay: 0.8, momentum: 0.1, epsilon: 1e-7, centered: true}}, dynamic: true, initialScale: 32768, dynamicGrowthSteps: 2000, ...DYNAMIC_DEFAULTS},
  ],
  [
    'TF 2.3 experimental with DynamicLossScale',
    {optimizer: KERAS2_SGD, loss_scale: {class_name: 'DynamicLossScale', config: {initial_loss_scale: 32768.0, increment_period: 2000, multiplier: 2.0}}},
    {innerOptimizer: {className: 'SGD', config: {learningRate: 0.1}}, dynamic: true, initialScale: 32768, dynamicGrowthSteps: 2000, ...DYNAMIC_DEFAULTS},
  ],
  [
    'TF 2.3 DynamicLossScale with multiplier 4 (grows x4, backs off /4)',
    {optimizer: KERAS2_SGD, loss_scale: {class_name: 'DynamicLossScale', config: {initial_loss_scale: 256.0, increment_period: 10, multiplier: 4.0}}},
    {innerOptimizer: {className: 'SGD', config: {learningRate: 0.1}}, dynamic: true, initialScale: 256, dynamicGrowthSteps: 10, ...DYNAMIC_DEFAULTS, growthFactor: 4, backoffFactor: 0.25},
  ],
  [
    'TF 2.3 FixedLossScale',
    {optimizer: KERAS2_SGD, loss_scale: {class_name: 'FixedLossScale', config: {loss_scale_value: 512.0}}},
    {innerOptimizer: {className: 'SGD', config: {learningRate: 0.1}}, dynamic: false, initialScale: 512},
  ],
  [
    'TF 2.3 loss_scale as a number',
    {optimizer: KERAS2_SGD, loss_scale: 64},
    {innerOptimizer: {className: 'SGD', config: {learningRate: 0.1}}, dynamic: false, initialScale: 64},
  ],
  [
    "TF 2.3 loss_scale 'dynamic'",
    {optimizer: KERAS2_SGD, loss_scale: 'dynamic'},
    {innerOptimizer: {className: 'SGD', config: {learningRate: 0.1}}, dynamic: true, initialScale: 32768, dynamicGrowthSteps: 2000, ...DYNAMIC_DEFAULTS},
  ],
  [
    'camelCased by tfjs, SGD with momentum becomes Momentum',
    {className: 'LossScaleOptimizer', config: {innerOptimizer: {className: 'SGD', config: {name: 'SGD', learningRate: 0.1, momentum: 0.9, nesterov: true}}, dynamic: true, initialScale: 8, dynamicGrowthSteps: 3}},
    {innerOptimizer: {className: 'Momentum', config: {learningRate: 0.1, momentum: 0.9, useNesterov: true}}, dynamic: true, initialScale: 8, dynamicGrowthSteps: 3, ...DYNAMIC_DEFAULTS},
  ],
  [
    'camelCased TF 2.3 form',
    {optimizer: {className: 'Adam', config: {learningRate: 0.1, beta1: 0.5}}, lossScale: {className: 'DynamicLossScale', config: {initialLossScale: 16, incrementPeriod: 5, multiplier: 2}}},
    {innerOptimizer: {className: 'Adam', config: {learningRate: 0.1, beta1: 0.5, beta2: 0.999, epsilon: 1e-7}}, dynamic: true, initialScale: 16, dynamicGrowthSteps: 5, ...DYNAMIC_DEFAULTS},
  ],
  [
    'a tfjs-written inner config (RMSProp spelled the tfjs way goes to the registry)',
    {inner_optimizer: {className: 'RMSProp', config: {learningRate: 0.1, decay: 0.7, momentum: 0, epsilon: 1e-6, centered: false}}, initial_scale: 2},
    {innerOptimizer: {className: 'RMSProp', config: {learningRate: 0.1, decay: 0.7, momentum: 0, epsilon: 1e-6, centered: false}}, dynamic: true, initialScale: 2, dynamicGrowthSteps: 2000, ...DYNAMIC_DEFAULTS},
  ],
];

describe('lossScaleOptimizerFromKerasConfig', () => {
  test.each(CASES)('%s', (_name, config, expected) => {
    const input = JSON.parse(JSON.stringify(config));
    const lso = lossScaleOptimizerFromKerasConfig(input);
    expect(lso.getConfig()).toEqual(expected);
    expect(input).toEqual(JSON.parse(JSON.stringify(config)));
  });

  const ERRORS: [string, unknown, RegExp][] = [
    ['not an object', 'lso', /config must be an object; received 'lso'/],
    ['another class', {class_name: 'Adam', config: {}}, /reads LossScaleOptimizer configs; received class_name 'Adam'/],
    ['amsgrad', {inner_optimizer: {class_name: 'Adam', config: {learning_rate: 0.1, amsgrad: true}}}, /inner_optimizer \(Adam\): amsgrad = true has no tfjs equivalent.*Re-save the Keras model without amsgrad, or build the tfjs optimizer yourself/],
    ['clipnorm on the wrapper', {clipnorm: 1.0, inner_optimizer: KERAS2_SGD}, /LossScaleOptimizer: clipnorm = 1 has no tfjs equivalent/],
    ['learning-rate decay', {inner_optimizer: {class_name: 'SGD', config: {learning_rate: 0.1, decay: 0.01}}}, /decay = 0\.01 \(Keras's learning-rate time decay\) has no tfjs equivalent/],
    ['a learning-rate schedule', {inner_optimizer: {class_name: 'Adam', config: {learning_rate: {class_name: 'ExponentialDecay', config: {}}}}}, /learning_rate must be a number; received .*learning-rate schedules are not supported/],
    ['unknown inner class', {inner_optimizer: {class_name: 'Lion', config: {}}}, /unknown optimizer class 'Lion'/],
    ['missing inner', {dynamic: true}, /inner_optimizer must be a serialized optimizer \{class_name, config\}; received undefined/],
    ['bad legacy loss scale', {optimizer: KERAS2_SGD, loss_scale: {class_name: 'Foo', config: {}}}, /loss_scale must be a number, 'dynamic', or \{class_name: 'DynamicLossScale' \| 'FixedLossScale', config\}/],
    ['multiplier 1', {optimizer: KERAS2_SGD, loss_scale: {class_name: 'DynamicLossScale', config: {multiplier: 1}}}, /multiplier must be a finite number > 1; received 1/],
    ['fixed with a bad value', {inner_optimizer: KERAS2_SGD, dynamic: false, initial_scale: -1}, /initialScale must be a positive/],
  ];
  test.each(ERRORS)('refuses %s', (_name, config, message) => {
    expect(() => lossScaleOptimizerFromKerasConfig(config)).toThrow(message);
  });
});

describe('optimizerFromKerasConfig', () => {
  const OPTS: [unknown, string, tf.serialization.ConfigDict][] = [
    [{class_name: 'Adagrad', config: {learning_rate: 0.05, initial_accumulator_value: 0.2, epsilon: 1e-7}}, 'Adagrad', {learningRate: 0.05, initialAccumulatorValue: 0.2}],
    [{class_name: 'Adadelta', config: {learning_rate: 1.0, rho: 0.9, epsilon: 1e-6}}, 'Adadelta', {learningRate: 1, rho: 0.9, epsilon: 1e-6}],
    [{class_name: 'Adamax', config: {learning_rate: 0.01, beta_1: 0.8, beta_2: 0.9, epsilon: 1e-7, decay: 0.001}}, 'Adamax', {learningRate: 0.01, beta1: 0.8, beta2: 0.9, epsilon: 1e-7, decay: 0.001}],
    [{class_name: 'Adam', config: {}}, 'Adam', {learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7}],
  ];
  test.each(OPTS)('%j', (config, className, expected) => {
    const opt = optimizerFromKerasConfig('opt', config);
    expect(opt.getClassName()).toBe(className);
    expect(opt.getConfig()).toEqual(expected);
  });
});
