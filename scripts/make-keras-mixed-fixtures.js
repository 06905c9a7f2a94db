// Writes test/fixtures/keras-models/{keras2.15,keras3.4}-mixed-text: the same
// small mixed_float16 text model in the model.json shapes the tfjs converter
// writes for tf-keras 2.15 and Keras 3.4. HAND-MADE: Python/Keras cannot be
// installed here, so the topology is written field by field after the real
// converted models in this folder and Keras's get_config() of each class;
// the weights are deterministic pseudo-random float32 values, not trained.
//
//   ids int32 [6] -> Embedding(20, 8) -> LSTM(8, return_sequences)
//     -> TimeDistributed(Dense(8)) ; Add(lstm, time_distributed)
//     -> BatchNormalization -> GlobalAveragePooling1D -> Dense(1, sigmoid, float32)
//
// Every layer but the input and the last carries mixed_float16; the
// training config holds the optimizer Keras's compile wrapped for it
// (LossScaleOptimizerV3 in tf-keras 2.15, LossScaleOptimizer in Keras 3).
// Run: node scripts/make-keras-mixed-fixtures.js
'use strict';
const fs = require('fs');
const path = require('path');

const OUT = path.join(__dirname, '..', 'test', 'fixtures', 'keras-models');
const VOCAB = 20;
const STEPS = 6;
const EMBED = 8;
const UNITS = 8;

// [name, shape] in the order Keras lists the weights.
const WEIGHTS = [
  ['embedding/embeddings', [VOCAB, EMBED]],
  ['lstm/kernel', [EMBED, 4 * UNITS]],
  ['lstm/recurrent_kernel', [UNITS, 4 * UNITS]],
  ['lstm/bias', [4 * UNITS]],
  ['time_distributed/kernel', [UNITS, UNITS]],
  ['time_distributed/bias', [UNITS]],
  ['batch_normalization/gamma', [UNITS]],
  ['batch_normalization/beta', [UNITS]],
  ['batch_normalization/moving_mean', [UNITS]],
  ['batch_normalization/moving_variance', [UNITS]],
  ['dense/kernel', [UNITS, 1]],
  ['dense/bias', [1]],
];

// A small deterministic generator (mulberry32), values in [-0.5, 0.5).
function uniform(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
}

function weightValues() {
  const next = uniform(9);
  const arrays = WEIGHTS.map(([name, shape]) => {
    const n = shape.reduce((a, b) => a * b, 1);
    return Float32Array.from({length: n}, () => {
      const v = next();
      if (name.endsWith('gamma')) return 1 + 0.2 * v;
      if (name.endsWith('moving_variance')) return 0.5 + Math.abs(v);
      if (name.endsWith('moving_mean')) return 0.1 * v;
      return v;
    });
  });
  return Buffer.concat(arrays.map((a) => Buffer.from(a.buffer)));
}

// ---- Keras-version differences ----------------------------------------
const K2 = {
  policy: (name) =>
    name === 'float32'
      ? 'float32'
      : {module: 'keras.mixed_precision', class_name: 'Policy', config: {name}, registered_name: null},
  init: (className, config = {}) => ({module: 'keras.initializers', class_name: className, config, registered_name: null}),
};
const K3 = {
  policy: (name) => ({module: 'keras', class_name: 'DTypePolicy', config: {name}, registered_name: null}),
  init: K2.init,
};

function layerConfigs(k, version) {
  const mixed = k.policy('mixed_float16');
  const keras3 = version === 3;
  const glorot = k.init('GlorotUniform', {seed: null});
  const zeros = k.init('Zeros');
  const ones = k.init('Ones');
  const dense = (name, units, activation, dtype) => ({
    name,
    trainable: true,
    dtype,
    units,
    activation,
    use_bias: true,
    kernel_initializer: glorot,
    bias_initializer: zeros,
    kernel_regularizer: null,
    bias_regularizer: null,
    ...(keras3 ? {} : {activity_regularizer: null}),
    kernel_constraint: null,
    bias_constraint: null,
  });
  return {
    input_layer: keras3
      ? {batch_shape: [null, STEPS], dtype: 'int32', sparse: false, name: 'input_layer'}
      : {batch_input_shape: [null, STEPS], dtype: 'int32', sparse: false, ragged: false, name: 'input_layer'},
    embedding: {
      name: 'embedding',
      trainable: true,
      dtype: mixed,
      ...(keras3 ? {} : {batch_input_shape: [null, STEPS]}),
      input_dim: VOCAB,
      output_dim: EMBED,
      embeddings_initializer: k.init('RandomUniform', {minval: -0.05, maxval: 0.05, seed: null}),
      embeddings_regularizer: null,
      activity_regularizer: null,
      embeddings_constraint: null,
      mask_zero: false,
      ...(keras3 ? {} : {input_length: STEPS}),
    },
    lstm: {
      name: 'lstm',
      trainable: true,
      dtype: mixed,
      return_sequences: true,
      return_state: false,
      go_backwards: false,
      stateful: false,
      unroll: false,
      ...(keras3 ? {zero_output_for_mask: false} : {time_major: false}),
      units: UNITS,
      activation: 'tanh',
      recurrent_activation: 'sigmoid',
      use_bias: true,
      kernel_initializer: glorot,
      recurrent_initializer: k.init('Orthogonal', {gain: 1.0, seed: null}),
      bias_initializer: zeros,
      unit_forget_bias: true,
      kernel_regularizer: null,
      recurrent_regularizer: null,
      bias_regularizer: null,
      activity_regularizer: null,
      kernel_constraint: null,
      recurrent_constraint: null,
      bias_constraint: null,
      dropout: 0.0,
      recurrent_dropout: 0.0,
      ...(keras3 ? {seed: null} : {implementation: 2}),
    },
    time_distributed: {
      name: 'time_distributed',
      trainable: true,
      dtype: mixed,
      layer: {
        module: 'keras.layers',
        class_name: 'Dense',
        config: dense('dense_inner', UNITS, 'relu', mixed),
        registered_name: null,
        build_config: {input_shape: [null, UNITS]},
      },
    },
    add: {name: 'add', trainable: true, dtype: mixed},
    batch_normalization: {
      name: 'batch_normalization',
      trainable: true,
      dtype: mixed,
      axis: keras3 ? -1 : [2],
      momentum: 0.99,
      epsilon: 0.001,
      center: true,
      scale: true,
      beta_initializer: zeros,
      gamma_initializer: ones,
      moving_mean_initializer: zeros,
      moving_variance_initializer: ones,
      beta_regularizer: null,
      gamma_regularizer: null,
      beta_constraint: null,
      gamma_constraint: null,
      ...(keras3 ? {synchronized: false} : {}),
    },
    global_average_pooling1d: {
      name: 'global_average_pooling1d',
      trainable: true,
      dtype: mixed,
      data_format: 'channels_last',
      keepdims: false,
    },
    // Kept float32, as Keras's mixed-precision guide does for the output.
    dense: dense('dense', 1, 'sigmoid', k.policy('float32')),
  };
}

const CLASSES = {
  input_layer: 'InputLayer',
  embedding: 'Embedding',
  lstm: 'LSTM',
  time_distributed: 'TimeDistributed',
  add: 'Add',
  batch_normalization: 'BatchNormalization',
  global_average_pooling1d: 'GlobalAveragePooling1D',
  dense: 'Dense',
};
// name -> [inputs, output shape, output dtype in Keras 3's keras_history tensors]
const GRAPH = {
  input_layer: [[], [null, STEPS], 'int32'],
  embedding: [['input_layer'], [null, STEPS, EMBED], 'float16'],
  lstm: [['embedding'], [null, STEPS, UNITS], 'float16'],
  time_distributed: [['lstm'], [null, STEPS, UNITS], 'float16'],
  add: [['lstm', 'time_distributed'], [null, STEPS, UNITS], 'float16'],
  batch_normalization: [['add'], [null, STEPS, UNITS], 'float16'],
  global_average_pooling1d: [['batch_normalization'], [null, UNITS], 'float16'],
  dense: [['global_average_pooling1d'], [null, 1], 'float32'],
};

function inboundNodes(name, version) {
  const inputs = GRAPH[name][0];
  if (inputs.length === 0) return [];
  if (version === 2) return [inputs.map((i) => [i, 0, 0, {}])];
  const tensors = inputs.map((i) => ({
    class_name: '__keras_tensor__',
    config: {shape: GRAPH[i][1], dtype: GRAPH[i][2], keras_history: [i, 0, 0]},
  }));
  // A merge layer takes one list argument.
  return [{args: tensors.length === 1 ? tensors : [tensors], kwargs: {}}];
}

function modelJson(version) {
  const k = version === 2 ? K2 : K3;
  const configs = layerConfigs(k, version);
  const layers = Object.keys(CLASSES).map((name) => {
    const entry = {class_name: CLASSES[name], config: configs[name]};
    if (version === 2) {
      Object.assign(entry, {module: 'keras.layers', registered_name: null, name, inbound_nodes: inboundNodes(name, 2)});
      if (name !== 'input_layer') entry.build_config = {input_shape: GRAPH[GRAPH[name][0][0]][1]};
    } else {
      Object.assign(entry, {name, inbound_nodes: inboundNodes(name, 3)});
    }
    return entry;
  });
  const adam = {
    name: 'Adam',
    weight_decay: null,
    clipnorm: null,
    global_clipnorm: null,
    clipvalue: null,
    use_ema: false,
    ema_momentum: 0.99,
    ema_overwrite_frequency: null,
    ...(version === 2 ? {jit_compile: true, is_legacy_optimizer: false} : {loss_scale_factor: null, gradient_accumulation_steps: null}),
    learning_rate: 0.0010000000474974513,
    beta_1: 0.9,
    beta_2: 0.999,
    epsilon: 1e-7,
    amsgrad: false,
  };
  const optimizerConfig =
    version === 2
      ? {
          module: 'keras.mixed_precision',
          class_name: 'LossScaleOptimizerV3',
          config: {
            inner_optimizer: {module: 'keras.optimizers', class_name: 'Adam', config: adam, registered_name: null},
            dynamic: true,
            initial_scale: 32768.0,
            dynamic_growth_steps: 2000,
          },
          registered_name: 'LossScaleOptimizerV3',
        }
      : {
          module: 'keras.optimizers',
          class_name: 'LossScaleOptimizer',
          config: {
            name: 'loss_scale_optimizer',
            learning_rate: 0.0010000000474974513,
            weight_decay: null,
            clipnorm: null,
            global_clipnorm: null,
            clipvalue: null,
            use_ema: false,
            ema_momentum: 0.99,
            ema_overwrite_frequency: null,
            loss_scale_factor: null,
            gradient_accumulation_steps: null,
            inner_optimizer: {module: 'keras.optimizers', class_name: 'Adam', config: adam, registered_name: null},
            initial_scale: 32768.0,
            dynamic_growth_steps: 2000,
          },
          registered_name: null,
        };
  const trainingConfig =
    version === 2
      ? {
          loss: 'binary_crossentropy',
          metrics: [[{module: 'keras.metrics', class_name: 'MeanMetricWrapper', config: {name: 'accuracy', dtype: 'float32', fn: 'binary_accuracy'}, registered_name: null}]],
          weighted_metrics: null,
          loss_weights: null,
          optimizer_config: optimizerConfig,
        }
      : {
          loss: 'binary_crossentropy',
          loss_weights: null,
          metrics: ['accuracy'],
          weighted_metrics: null,
          run_eagerly: false,
          steps_per_execution: 1,
          jit_compile: false,
          optimizer_config: optimizerConfig,
        };
  const kerasVersion = version === 2 ? '2.15.0' : '3.4.1';
  return {
    format: 'layers-model',
    generatedBy: `keras v${kerasVersion}`,
    convertedBy: version === 2 ? 'TensorFlow.js Converter v4.17.0' : 'TensorFlow.js Converter v4.6.0',
    modelTopology: {
      keras_version: kerasVersion,
      backend: 'tensorflow',
      model_config: {
        class_name: 'Functional',
        config: {
          name: version === 2 ? 'model' : 'functional',
          trainable: true,
          layers,
          input_layers: [['input_layer', 0, 0]],
          output_layers: [['dense', 0, 0]],
        },
      },
      training_config: trainingConfig,
    },
    weightsManifest: [
      {paths: ['group1-shard1of1.bin'], weights: WEIGHTS.map(([name, shape]) => ({name, shape, dtype: 'float32'}))},
    ],
  };
}

for (const version of [2, 3]) {
  const dir = path.join(OUT, version === 2 ? 'keras2.15-mixed-text' : 'keras3.4-mixed-text');
  fs.mkdirSync(dir, {recursive: true});
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(modelJson(version)));
  fs.writeFileSync(path.join(dir, 'group1-shard1of1.bin'), weightValues());
}
