// The data of the registry contract: sample args and inputs for every tfjs
// layer class made policy-aware by the generic mechanism, and the clauses a
// class cannot meet, with the reason.
import * as tf from '@tensorflow/tfjs';

import * as mpLayers from '../../layers';

type AnyArgs = Record<string, unknown>;
type Factory = (args: AnyArgs) => tf.layers.Layer;
/** The factories a case builds inner layers with: ours (with the policy) or stock tfjs's. */
export type Lib = Record<string, Factory>;

export const MP_LIB = mpLayers as unknown as Lib;
export const TF_LIB = tf.layers as unknown as Lib;

/** The clauses of the contract a class may be excused from (with a reason). */
export type Clause = 'taggedCompute' | 'roundedVariableGrads' | 'inputGrads' | 'variableGrads' | 'model' | 'training';

export interface RegistryCase {
  className: string;
  /** The layer's args; inner layers built from `lib` with `dtype` (undefined for stock). */
  args: (lib: Lib, dtype: string | undefined) => AnyArgs;
  /** Input shapes (batch first); several for merge layers. */
  inputs: number[][];
  /** Inputs are integer ids below this bound (Embedding, CategoryEncoding). */
  ids?: number;
  /**
   * The class under test is a cell applied through `rnn({cell})` (an RNN
   * cell is not applied alone in a model).
   */
  cell?: boolean;
  /** Weights drawn positive (variances, scales). */
  positiveWeights?: boolean;
  /** Tolerance of mixed_float16 vs float32 (rtol = atol); Keras's default 2e-3. */
  tolerance?: number;
  /** Clauses this class cannot meet, and why. */
  excused?: Partial<Record<Clause, string>>;
}

const FLOAT32_MATH = 'computes in float32 inside as Keras (variables not autocast): their gradients are float32';
const NO_VARIABLES = 'has no variables';
const NO_GRAD = (kernel: string) => `tfjs has no gradient for ${kernel} (the stock layer cannot be differentiated either)`;

const seq = [2, 4, 3];
const img = [2, 4, 4, 2];
const vol = [1, 2, 4, 4, 2];
const flat = [2, 5];
const pair = [
  [2, 3],
  [2, 3],
];

const rnnArgs = (units: number) => () => ({units, returnSequences: true});

export const REGISTRY_CASES: RegistryCase[] = [
  {className: 'ReLU', args: () => ({maxValue: 0.5}), inputs: [flat]},
  {className: 'LeakyReLU', args: () => ({alpha: 0.1}), inputs: [flat]},
  {className: 'PReLU', args: () => ({}), inputs: [flat]},
  {className: 'ELU', args: () => ({}), inputs: [flat]},
  {className: 'ThresholdedReLU', args: () => ({theta: 0.1}), inputs: [flat], excused: {inputGrads: NO_GRAD('Greater')}},
  {className: 'Softmax', args: () => ({}), inputs: [flat]},
  {
    className: 'Conv3DTranspose',
    args: () => ({filters: 2, kernelSize: 2, strides: 2}),
    inputs: [[1, 2, 2, 2, 2]],
    excused: {variableGrads: NO_GRAD('Conv3DBackpropInputV2'), inputGrads: NO_GRAD('Conv3DBackpropInputV2'), training: NO_GRAD('Conv3DBackpropInputV2')},
  },
  {className: 'Cropping2D', args: () => ({cropping: [[1, 0], [0, 1]]}), inputs: [img]},
  // Square: tfjs's ResizeBilinear gradient swaps height and width.
  {className: 'UpSampling2D', args: () => ({size: [2, 2], interpolation: 'bilinear'}), inputs: [[2, 3, 3, 2]]},
  {className: 'RNN', args: (lib, dtype) => ({cell: lib['simpleRNNCell']!({units: 3, dtype}), returnSequences: true}), inputs: [seq], tolerance: 4e-3},
  {className: 'SimpleRNNCell', args: () => ({units: 3}), inputs: [seq], cell: true, tolerance: 4e-3},
  {className: 'SimpleRNN', args: rnnArgs(3), inputs: [seq], tolerance: 4e-3},
  {className: 'GRUCell', args: () => ({units: 3}), inputs: [seq], cell: true, tolerance: 4e-3},
  {className: 'GRU', args: rnnArgs(3), inputs: [seq], tolerance: 4e-3},
  {className: 'LSTMCell', args: () => ({units: 3}), inputs: [seq], cell: true, tolerance: 4e-3},
  {className: 'LSTM', args: rnnArgs(3), inputs: [seq], tolerance: 4e-3},
  {
    className: 'StackedRNNCells',
    args: (lib, dtype) => ({cells: [lib['lstmCell']!({units: 3, dtype}), lib['gruCell']!({units: 2, dtype})]}),
    inputs: [seq],
    cell: true,
    tolerance: 4e-3,
  },
  {
    className: 'ConvLSTM2DCell',
    args: () => ({filters: 2, kernelSize: 2, padding: 'same'}),
    inputs: [[1, 3, 3, 2]],
    excused: {
      model: 'tfjs builds the cell of ConvLSTM2D itself (new ConvLSTM2DCell(args)) and RNN cannot run a convolutional cell: it is applied alone to [x, h, c]',
      training: 'as for model',
    },
  },
  {className: 'ConvLSTM2D', args: () => ({filters: 2, kernelSize: 2, padding: 'same', returnSequences: true}), inputs: [[1, 2, 3, 3, 2]], tolerance: 4e-3},
  {className: 'Dropout', args: () => ({rate: 0.5}), inputs: [flat]},
  {className: 'SpatialDropout1D', args: () => ({rate: 0.5}), inputs: [seq]},
  {className: 'Flatten', args: () => ({}), inputs: [seq]},
  {className: 'RepeatVector', args: () => ({n: 2}), inputs: [flat]},
  {className: 'Reshape', args: () => ({targetShape: [3, 4]}), inputs: [seq]},
  {className: 'Permute', args: () => ({dims: [2, 1]}), inputs: [seq]},
  {className: 'Masking', args: () => ({maskValue: 0}), inputs: [seq], excused: {inputGrads: NO_GRAD('Any')}},
  {
    className: 'Embedding',
    args: () => ({inputDim: 10, outputDim: 3}),
    inputs: [[2, 4]],
    ids: 10,
    excused: {inputGrads: 'its inputs are ids', roundedVariableGrads: 'float32 lookup as Keras: the table gradient is a float32 scatter of rounded output gradients'},
  },
  {className: 'Add', args: () => ({}), inputs: pair},
  {className: 'Multiply', args: () => ({}), inputs: pair},
  {className: 'Average', args: () => ({}), inputs: pair},
  {className: 'Maximum', args: () => ({}), inputs: pair},
  {className: 'Minimum', args: () => ({}), inputs: pair},
  {className: 'Concatenate', args: () => ({axis: -1}), inputs: pair},
  {className: 'Dot', args: () => ({axes: 1}), inputs: pair},
  {className: 'GaussianNoise', args: () => ({stddev: 0.1}), inputs: [flat]},
  {className: 'GaussianDropout', args: () => ({rate: 0.2}), inputs: [flat]},
  {className: 'AlphaDropout', args: () => ({rate: 0.2}), inputs: [flat]},
  {
    className: 'BatchNormalization',
    args: () => ({}),
    inputs: [seq],
    positiveWeights: true,
    excused: {roundedVariableGrads: FLOAT32_MATH},
  },
  {className: 'LayerNormalization', args: () => ({}), inputs: [flat], excused: {roundedVariableGrads: FLOAT32_MATH}},
  {className: 'ZeroPadding2D', args: () => ({padding: 1}), inputs: [[2, 2, 2, 1]]},
  {className: 'MaxPooling1D', args: () => ({poolSize: 2}), inputs: [seq]},
  {className: 'AveragePooling1D', args: () => ({poolSize: 2}), inputs: [seq]},
  {className: 'MaxPooling2D', args: () => ({poolSize: 2}), inputs: [img]},
  {className: 'AveragePooling2D', args: () => ({poolSize: 2}), inputs: [img]},
  {className: 'MaxPooling3D', args: () => ({poolSize: 2}), inputs: [vol]},
  {className: 'AveragePooling3D', args: () => ({poolSize: 2}), inputs: [vol]},
  {className: 'GlobalAveragePooling1D', args: () => ({}), inputs: [seq]},
  {className: 'GlobalMaxPooling1D', args: () => ({}), inputs: [seq]},
  {className: 'GlobalAveragePooling2D', args: () => ({}), inputs: [img]},
  {className: 'GlobalMaxPooling2D', args: () => ({}), inputs: [img]},
  {
    className: 'TimeDistributed',
    args: (lib, dtype) => ({layer: lib['dense']!({units: 2, dtype})}),
    inputs: [seq],
    excused: {
      roundedVariableGrads:
        "tfjs's TimeDistributed calls the inner layer once per time step; each step's read is rounded and the variable gradient is their float32 sum",
    },
  },
  {
    className: 'Bidirectional',
    args: (lib, dtype) => ({layer: lib['lstm']!({units: 2, returnSequences: true, dtype}), mergeMode: 'concat'}),
    inputs: [seq],
    tolerance: 4e-3,
  },
  {className: 'Rescaling', args: () => ({scale: 0.3, offset: 0.1}), inputs: [flat]},
  {className: 'CenterCrop', args: () => ({height: 2, width: 2}), inputs: [img], excused: {inputGrads: NO_GRAD('CropAndResize')}},
  {
    className: 'CategoryEncoding',
    args: () => ({numTokens: 5, outputMode: 'multiHot'}),
    inputs: [[2, 3]],
    ids: 5,
    excused: {taggedCompute: 'outputs float32 counts, as Keras', inputGrads: 'its inputs are ids'},
  },
  {
    className: 'Resizing',
    args: () => ({height: 3, width: 3}),
    inputs: [[2, 2, 2, 1]],
    excused: {
      model: "tfjs's Resizing.call resizes its `inputs` argument, which a model passes as a list: 'x must be rank 3 or 4, but got rank 1' (stock too)",
      training: 'as for model',
    },
  },
  {
    className: 'RandomWidth',
    args: () => ({factor: 0.5, seed: 3}),
    inputs: [[2, 3, 4, 1]],
    excused: {
      model: 'its computeOutputShape returns [height, -1, channels] (no batch dimension): tfjs cannot build a model around it',
      training: 'as for model',
      inputGrads: "tfjs's ResizeBilinear gradient swaps height and width for a non-square output",
    },
  },
];

export {NO_VARIABLES};
