import * as tf from '@tensorflow/tfjs';

import {AUTOCAST, FLOAT32_INSIDE, FLOAT32_LOOKUP, FLOAT32_OUTPUT, MASKED_SOFTMAX, Numerics} from './layer_numerics';

/** One tfjs layer class: its `tf.layers` factory, its numerics, what to know. */
export interface LayerRow {
  readonly factory: keyof typeof tf.layers;
  readonly numerics: Numerics;
  /** Where tfjs or this package differs from Keras, or how the rule applies. */
  readonly note?: string;
}

const row = (factory: keyof typeof tf.layers, numerics: Numerics = AUTOCAST, note?: string): LayerRow =>
  note === undefined ? {factory, numerics} : {factory, numerics, note};

const RNN_NOTE =
  'cell variables read in the compute dtype at every step (rounded once per call), initial states cast; ' +
  'stateful states kept as float32 tensors holding compute-dtype values';
const DROPOUT_NOTE = 'noise and scale constants in the compute dtype';
const WRAPPER_NOTE = "the inner layer computes under its own policy; this layer's own ops and outputs are rounded";

/**
 * Every tfjs layer class this package makes policy-aware through the generic
 * mechanism (`policyLayer` with `Numerics`), keyed by Keras class name. The
 * classes with their own exact fast paths (Dense, the convolutions,
 * Activation) are in `FAST_PATH_CLASSES`. A class tfjs registers that is in
 * neither gets `AUTOCAST` (see `registry_layers`).
 */
export const LAYER_TABLE = {
  ReLU: row('reLU'),
  LeakyReLU: row('leakyReLU'),
  PReLU: row('prelu'),
  ELU: row('elu'),
  ThresholdedReLU: row('thresholdedReLU'),
  Softmax: row('softmax', MASKED_SOFTMAX, 'a mask adds -65504/2 (float16) or -1e9 (bfloat16), never -Inf; tfjs adds -1e9'),
  Conv3DTranspose: row('conv3dTranspose'),
  Cropping2D: row('cropping2D'),
  UpSampling2D: row('upSampling2d', FLOAT32_INSIDE, 'resized in float32, as Keras 3'),
  RNN: row('rnn', AUTOCAST, RNN_NOTE),
  SimpleRNNCell: row('simpleRNNCell'),
  SimpleRNN: row('simpleRNN', AUTOCAST, RNN_NOTE),
  GRUCell: row('gruCell'),
  GRU: row('gru', AUTOCAST, RNN_NOTE),
  LSTMCell: row('lstmCell'),
  LSTM: row('lstm', AUTOCAST, RNN_NOTE),
  StackedRNNCells: row('stackedRNNCells'),
  ConvLSTM2DCell: row('convLstm2dCell'),
  ConvLSTM2D: row('convLstm2d', AUTOCAST, RNN_NOTE),
  Dropout: row('dropout', AUTOCAST, DROPOUT_NOTE),
  SpatialDropout1D: row('spatialDropout1d', AUTOCAST, DROPOUT_NOTE),
  Flatten: row('flatten'),
  RepeatVector: row('repeatVector'),
  Reshape: row('reshape'),
  Permute: row('permute'),
  Masking: row('masking', AUTOCAST, 'the mask value is compared in the compute dtype'),
  Embedding: row('embedding', FLOAT32_LOOKUP, 'ids never cast; float32 lookup, output rounded'),
  Add: row('add', AUTOCAST, 'all inputs cast'),
  Multiply: row('multiply', AUTOCAST, 'all inputs cast'),
  Average: row('average', AUTOCAST, 'all inputs cast'),
  Maximum: row('maximum', AUTOCAST, 'all inputs cast'),
  Minimum: row('minimum', AUTOCAST, 'all inputs cast'),
  Concatenate: row('concatenate', AUTOCAST, 'all inputs cast'),
  Dot: row('dot', AUTOCAST, 'all inputs cast'),
  GaussianNoise: row('gaussianNoise', AUTOCAST, DROPOUT_NOTE),
  GaussianDropout: row('gaussianDropout', AUTOCAST, DROPOUT_NOTE),
  AlphaDropout: row('alphaDropout', AUTOCAST, DROPOUT_NOTE),
  BatchNormalization: row('batchNormalization', FLOAT32_INSIDE, 'float32 variables and moving statistics, float32 math'),
  LayerNormalization: row('layerNormalization', FLOAT32_INSIDE, 'float32 variables, float32 math'),
  ZeroPadding2D: row('zeroPadding2d'),
  MaxPooling1D: row('maxPooling1d'),
  AveragePooling1D: row('averagePooling1d'),
  MaxPooling2D: row('maxPooling2d'),
  AveragePooling2D: row('averagePooling2d'),
  MaxPooling3D: row('maxPooling3d'),
  AveragePooling3D: row('averagePooling3d'),
  GlobalAveragePooling1D: row('globalAveragePooling1d', FLOAT32_INSIDE, 'mean accumulated in float32 (Keras 3)'),
  GlobalMaxPooling1D: row('globalMaxPooling1d'),
  GlobalAveragePooling2D: row('globalAveragePooling2d', FLOAT32_INSIDE, 'mean accumulated in float32 (Keras 3)'),
  GlobalMaxPooling2D: row('globalMaxPooling2d'),
  TimeDistributed: row('timeDistributed', AUTOCAST, WRAPPER_NOTE),
  Bidirectional: row('bidirectional', AUTOCAST, WRAPPER_NOTE),
  Rescaling: row('rescaling', AUTOCAST, 'scale and offset in the compute dtype'),
  CenterCrop: row('centerCrop', FLOAT32_INSIDE, 'cropped in float32 (tfjs crops with cropAndResize; boxes stay float32)'),
  CategoryEncoding: row('categoryEncoding', FLOAT32_OUTPUT, 'ids never cast; counts in float32, as Keras'),
  Resizing: row('resizing', FLOAT32_INSIDE, 'resized in float32, as Keras 3'),
  RandomWidth: row('randomWidth', FLOAT32_INSIDE, 'resized in float32'),
} as const satisfies Record<string, LayerRow>;

/** The Keras class names of `LAYER_TABLE`. */
export type TableClassName = keyof typeof LAYER_TABLE;

/**
 * The classes with a hand-written wrapper (exact fast paths), and their
 * numerics, for the README table.
 */
export const FAST_PATH_CLASSES: Readonly<Record<string, {factory: keyof typeof tf.layers; note: string}>> = {
  Dense: {factory: 'dense', note: 'input, kernel, matmul, bias add, activation each rounded (fused float32 path under float32)'},
  Conv1D: {factory: 'conv1d', note: 'as Dense with the convolution; channels-first computed as Keras (tfjs returns channels-last)'},
  Conv2D: {factory: 'conv2d', note: 'as Dense with the convolution'},
  Conv2DTranspose: {factory: 'conv2dTranspose', note: 'as Dense with the transposed convolution'},
  Conv3D: {factory: 'conv3d', note: 'as Dense with the convolution'},
  SeparableConv2D: {factory: 'separableConv2d', note: 'depthwise result rounded too; channels-first computed as Keras (tfjs fails)'},
  DepthwiseConv2D: {factory: 'depthwiseConv2d', note: 'as Dense with the convolution; dilation honoured (tfjs ignores it)'},
  Activation: {factory: 'activation', note: 'input and activation output rounded'},
};

/**
 * Registered tfjs classes that are not layers a policy applies to, and why.
 */
export const NOT_POLICY_LAYERS: Readonly<Record<string, string>> = {
  InputLayer: 'holds the fed float32 input; Keras InputLayer defaults to float32 (use mp.input / mp.layers.inputLayer for a logical dtype)',
  Model: 'a container: each of its layers carries its own policy',
  Functional: 'a container: each of its layers carries its own policy',
  Sequential: 'a container: each of its layers carries its own policy',
};
