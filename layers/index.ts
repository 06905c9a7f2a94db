/**
 * Policy-aware layers: drop-in replacements for every `tf.layers.<name>`
 * (Dense and the convolutions with hand-written fast paths, the other classes
 * generated from tfjs's registry and `layer_table`) that take a dtype policy
 * as `dtype`, and `Layer`, the base class of custom policy-aware layers. Importing this
 * module registers them under the standard Keras class names, so loading a
 * model (`tf.loadLayersModel`) builds these classes.
 */
export {Activation, activation} from './activation';
export type {ActivationArgs} from './activation';
export {Cast, castLayer as cast} from './cast_layer';
export type {CastArgs} from './cast_layer';
export {Conv1D, conv1d} from './conv1d';
export type {Conv1DArgs} from './conv1d';
export {Conv2D, conv2d} from './conv2d';
export type {Conv2DArgs} from './conv2d';
export {Conv2DTranspose, conv2dTranspose} from './conv2d_transpose';
export type {Conv2DTransposeArgs} from './conv2d_transpose';
export {Conv3D, conv3d} from './conv3d';
export type {Conv3DArgs} from './conv3d';
export {Dense, dense} from './dense';
export type {DenseArgs} from './dense';
export {DepthwiseConv2D, depthwiseConv2d} from './depthwise_conv2d';
export {dtypeSummary} from './dtype_summary';
export {inputLayer} from './input_layer';
export type {InputLayerArgs} from './input_layer';
export type {DepthwiseConv2DArgs} from './depthwise_conv2d';
export type {PolicyLayerArgs, PolicyLike} from './layer_dtype_arg';
export type {PolicyAware} from './policy_layer';
export {SeparableConv2D, separableConv2d} from './separable_conv2d';
export type {SeparableConv2DArgs} from './separable_conv2d';
export {Layer} from './custom_layer';
export type {LayerArgs} from './custom_layer';
export {FACTORIES, policyLayerClasses, registeredLayerClassNames} from './registry_layers';
export type {PolicyFactories, PolicyFactory} from './registry_layers';
export {LAYER_TABLE, FAST_PATH_CLASSES, NOT_POLICY_LAYERS} from './layer_table';
export type {LayerRow} from './layer_table';
export type {Numerics} from './layer_numerics';
import {FACTORIES} from './registry_layers';
/** `tf.layers.<name>` with `dtype` a policy, for every other registered tfjs layer class. */
export const {
  reLU, leakyReLU, prelu, elu, thresholdedReLU, softmax, conv3dTranspose, cropping2D, upSampling2d, rnn,
  simpleRNNCell, simpleRNN, gruCell, gru, lstmCell, lstm, stackedRNNCells, convLstm2dCell, convLstm2d, dropout,
  spatialDropout1d, flatten, repeatVector, reshape, permute, masking, embedding, add, multiply, average, maximum,
  minimum, concatenate, dot, gaussianNoise, gaussianDropout, alphaDropout, batchNormalization, layerNormalization,
  zeroPadding2d, maxPooling1d, averagePooling1d, maxPooling2d, averagePooling2d, maxPooling3d, averagePooling3d,
  globalAveragePooling1d, globalMaxPooling1d, globalAveragePooling2d, globalMaxPooling2d, timeDistributed,
  bidirectional, rescaling, centerCrop, categoryEncoding, resizing, randomWidth,
} = FACTORIES;
