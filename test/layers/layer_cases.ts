// The data of the layer contract: one case per policy layer, one per policy.
import * as tf from '@tensorflow/tfjs';

import * as layers from '../../layers';
import {NarrowDtype} from '../../src/cast/narrow_dtype';
import {FloatDtype} from '../../src/dtypes';
import {PolicyName} from '../../src/policy/policy_names';

type AnyArgs = Record<string, unknown>;
export type PolicyLayer = tf.layers.Layer & layers.PolicyAware;

export interface LayerCase {
  className: string;
  /** The test title, when it is not the class name. */
  label?: string;
  /** Our layer. */
  make: (args: AnyArgs) => PolicyLayer;
  /** The stock tfjs layer with the same args. */
  stock: (args: AnyArgs) => tf.layers.Layer;
  args: AnyArgs;
  /** Input shape including the batch dimension. */
  inputShape: number[];
  hasWeights: boolean;
  /**
   * Set where stock tfjs's layer computes the wrong function for this
   * configuration (layers/stock_call_gaps), so the float32 policy does not
   * defer to it: what the stock layer gives instead, and the float32 result
   * built from stock pieces that the float32 policy must equal bit for bit.
   */
  stockGap?: {
    /** The stock layer's output shape (not the right one), or its error. */
    stockGives: number[] | RegExp;
    reference: (x: tf.Tensor, weights: tf.Tensor[]) => tf.Tensor;
  };
}

/**
 * The stock channels-last layer on the transposed input, its output
 * transposed back: Keras's definition of the channels-first layer.
 */
function channelsLastReference(stock: (a: AnyArgs) => tf.layers.Layer, args: AnyArgs) {
  return (x: tf.Tensor, weights: tf.Tensor[]): tf.Tensor =>
    tf.tidy(() => {
      const layer = stock({...args, dataFormat: 'channelsLast'});
      const toLast = [0, ...Array.from({length: x.rank - 2}, (_, i) => i + 2), 1];
      const toFirst = [0, x.rank - 1, ...Array.from({length: x.rank - 2}, (_, i) => i + 1)];
      const xl = tf.transpose(x, toLast);
      tf.dispose(layer.apply(xl) as tf.Tensor);
      layer.setWeights(weights);
      const y = tf.transpose(layer.apply(xl) as tf.Tensor, toFirst);
      layer.dispose();
      return y;
    });
}

/** tf.depthwiseConv2d with the layer's dilation, then bias and relu: Keras's dilated DepthwiseConv2D. */
function dilatedDepthwiseReference(x: tf.Tensor, [kernel, bias]: tf.Tensor[]): tf.Tensor {
  return tf.tidy(() => {
    const y = tf.depthwiseConv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, 1, 'valid', 'NHWC', 2);
    return tf.relu(tf.add(y, bias as tf.Tensor));
  });
}

const conv1dCF = {filters: 4, kernelSize: 3, dataFormat: 'channelsFirst', activation: 'relu'};
const separableCF = {filters: 4, kernelSize: 3, depthMultiplier: 2, dataFormat: 'channelsFirst', activation: 'tanh'};

// Small shapes keep the whole contract (8 layers x 7 policies) fast.
export const LAYER_CASES: LayerCase[] = [
  {
    className: 'Dense',
    make: (a) => layers.dense(a as unknown as layers.DenseArgs),
    stock: (a) => tf.layers.dense(a as never),
    args: {units: 3, activation: 'tanh'},
    inputShape: [2, 5],
    hasWeights: true,
  },
  {
    className: 'Dense',
    label: 'Dense on rank-3 input',
    make: (a) => layers.dense(a as unknown as layers.DenseArgs),
    stock: (a) => tf.layers.dense(a as never),
    args: {units: 2, activation: 'relu6', useBias: false},
    inputShape: [2, 3, 4],
    hasWeights: true,
  },
  {
    className: 'Conv1D',
    make: (a) => layers.conv1d(a as unknown as layers.Conv1DArgs),
    stock: (a) => tf.layers.conv1d(a as never),
    args: {filters: 2, kernelSize: 3, activation: 'relu'},
    inputShape: [2, 6, 3],
    hasWeights: true,
  },
  {
    className: 'Conv1D',
    label: 'Conv1D channelsFirst',
    make: (a) => layers.conv1d(a as unknown as layers.Conv1DArgs),
    stock: (a) => tf.layers.conv1d(a as never),
    args: conv1dCF,
    inputShape: [2, 3, 8],
    hasWeights: true,
    // tfjs returns channels-last [2, 6, 4], against its computeOutputShape.
    stockGap: {stockGives: [2, 6, 4], reference: channelsLastReference((a) => tf.layers.conv1d(a as never), conv1dCF)},
  },
  {
    className: 'SeparableConv2D',
    label: 'SeparableConv2D channelsFirst',
    make: (a) => layers.separableConv2d(a as unknown as layers.SeparableConv2DArgs),
    stock: (a) => tf.layers.separableConv2d(a as never),
    args: separableCF,
    inputShape: [2, 2, 5, 5],
    hasWeights: true,
    stockGap: {
      stockGives: /Operands could not be broadcast/,
      reference: channelsLastReference((a) => tf.layers.separableConv2d(a as never), separableCF),
    },
  },
  {
    className: 'Conv2D',
    make: (a) => layers.conv2d(a as unknown as layers.Conv2DArgs),
    stock: (a) => tf.layers.conv2d(a as never),
    args: {filters: 3, kernelSize: 3, padding: 'same', activation: 'sigmoid'},
    inputShape: [2, 5, 5, 2],
    hasWeights: true,
  },
  {
    className: 'Conv2D',
    label: 'Conv2D channelsFirst',
    make: (a) => layers.conv2d(a as unknown as layers.Conv2DArgs),
    stock: (a) => tf.layers.conv2d(a as never),
    args: {filters: 2, kernelSize: 2, strides: 2, dataFormat: 'channelsFirst', activation: 'tanh'},
    inputShape: [2, 3, 4, 4],
    hasWeights: true,
  },
  {
    className: 'DepthwiseConv2D',
    label: 'DepthwiseConv2D channelsFirst',
    make: (a) => layers.depthwiseConv2d(a as unknown as layers.DepthwiseConv2DArgs),
    stock: (a) => tf.layers.depthwiseConv2d(a as never),
    args: {kernelSize: 2, dataFormat: 'channelsFirst'},
    inputShape: [2, 3, 4, 4],
    hasWeights: true,
  },
  {
    className: 'DepthwiseConv2D',
    label: 'DepthwiseConv2D dilated',
    make: (a) => layers.depthwiseConv2d(a as unknown as layers.DepthwiseConv2DArgs),
    stock: (a) => tf.layers.depthwiseConv2d(a as never),
    // 7x7 through a 3x3 kernel at rate 2 (extent 5): 3x3.
    args: {kernelSize: 3, depthMultiplier: 2, dilationRate: 2, activation: 'relu'},
    inputShape: [2, 7, 7, 2],
    hasWeights: true,
    // tfjs ignores the rate: 5x5, an undilated 3x3 convolution.
    stockGap: {stockGives: [2, 5, 5, 4], reference: dilatedDepthwiseReference},
  },
  {
    className: 'Conv3D',
    make: (a) => layers.conv3d(a as unknown as layers.Conv3DArgs),
    stock: (a) => tf.layers.conv3d(a as never),
    args: {filters: 2, kernelSize: 2},
    inputShape: [1, 3, 4, 4, 2],
    hasWeights: true,
  },
  {
    className: 'Conv2DTranspose',
    make: (a) => layers.conv2dTranspose(a as unknown as layers.Conv2DTransposeArgs),
    stock: (a) => tf.layers.conv2dTranspose(a as never),
    args: {filters: 2, kernelSize: 3, strides: 2, padding: 'same'},
    inputShape: [2, 3, 3, 2],
    hasWeights: true,
  },
  {
    className: 'SeparableConv2D',
    make: (a) => layers.separableConv2d(a as unknown as layers.SeparableConv2DArgs),
    stock: (a) => tf.layers.separableConv2d(a as never),
    args: {filters: 3, kernelSize: 3, depthMultiplier: 2, activation: 'elu'},
    inputShape: [2, 5, 5, 2],
    hasWeights: true,
  },
  {
    className: 'DepthwiseConv2D',
    make: (a) => layers.depthwiseConv2d(a as unknown as layers.DepthwiseConv2DArgs),
    stock: (a) => tf.layers.depthwiseConv2d(a as never),
    args: {kernelSize: 3, depthMultiplier: 2, padding: 'same'},
    inputShape: [2, 5, 5, 2],
    hasWeights: true,
  },
  {
    className: 'Activation',
    make: (a) => layers.activation(a as unknown as layers.ActivationArgs),
    stock: (a) => tf.layers.activation(a as never),
    args: {activation: 'softmax'},
    inputShape: [2, 5],
    hasWeights: false,
  },
];

export interface PolicyCase {
  policy: PolicyName;
  /** The dtype the layer should compute in. */
  compute: FloatDtype;
  /** The dtype its variables should be stored as. */
  stored: FloatDtype;
  /** For `infer` policies: the logical dtype of the input fed to the layer. */
  inputDtype?: NarrowDtype;
}

export const POLICY_CASES: PolicyCase[] = [
  {policy: 'float32', compute: 'float32', stored: 'float32'},
  {policy: 'float16', compute: 'float16', stored: 'float16'},
  {policy: 'bfloat16', compute: 'bfloat16', stored: 'bfloat16'},
  {policy: 'mixed_float16', compute: 'float16', stored: 'float32'},
  {policy: 'mixed_bfloat16', compute: 'bfloat16', stored: 'float32'},
  {policy: 'infer_float32_vars', compute: 'float16', stored: 'float32', inputDtype: 'float16'},
  {policy: 'infer', compute: 'bfloat16', stored: 'bfloat16', inputDtype: 'bfloat16'},
];

/**
 * Integer inputs, one case per wrapper class. Where tfjs accepts int32, the
 * weights make the output x0 - x1 on the input [2049, 2048]: 1 when the
 * input reaches the op untouched, 0 had it been rounded to float16 or
 * bfloat16 (both round 2049 to 2048). Where tfjs refuses int32, every policy
 * refuses it with tfjs's own error.
 */
export interface IntInputCase {
  className: string;
  make: (args: AnyArgs) => PolicyLayer;
  stock: (args: AnyArgs) => tf.layers.Layer;
  args: AnyArgs;
  inputShape: number[];
  accepted?: {weights: Array<{shape: number[]; values: number[]}>; expected: number[]};
  refused?: RegExp;
}

const TWO_VALUES = [2049, 2048];
const NOT_FLOAT32 = /must be float32 tensor, but got int32 tensor/;

export const INT_INPUT_CASES: IntInputCase[] = [
  {
    className: 'Dense',
    make: (a) => layers.dense(a as unknown as layers.DenseArgs),
    stock: (a) => tf.layers.dense(a as never),
    args: {units: 1, useBias: false},
    inputShape: [1, 2],
    accepted: {weights: [{shape: [2, 1], values: [1, -1]}], expected: [1]},
  },
  {
    className: 'Conv3D',
    make: (a) => layers.conv3d(a as unknown as layers.Conv3DArgs),
    stock: (a) => tf.layers.conv3d(a as never),
    args: {filters: 1, kernelSize: [1, 1, 2], useBias: false},
    inputShape: [1, 1, 1, 2, 1],
    accepted: {weights: [{shape: [1, 1, 2, 1, 1], values: [1, -1]}], expected: [1]},
  },
  {
    className: 'Conv2DTranspose',
    make: (a) => layers.conv2dTranspose(a as unknown as layers.Conv2DTransposeArgs),
    stock: (a) => tf.layers.conv2dTranspose(a as never),
    args: {filters: 1, kernelSize: 1, useBias: false},
    inputShape: [1, 1, 1, 2],
    accepted: {weights: [{shape: [1, 1, 1, 2], values: [1, -1]}], expected: [1]},
  },
  {
    className: 'Activation',
    make: (a) => layers.activation(a as unknown as layers.ActivationArgs),
    stock: (a) => tf.layers.activation(a as never),
    // relu keeps int32 (and the values); softmax refuses it, as in tfjs.
    args: {activation: 'relu'},
    inputShape: [1, 2],
    accepted: {weights: [], expected: TWO_VALUES},
  },
  {
    className: 'Conv1D',
    make: (a) => layers.conv1d(a as unknown as layers.Conv1DArgs),
    stock: (a) => tf.layers.conv1d(a as never),
    args: {filters: 1, kernelSize: 1},
    inputShape: [1, 2, 1],
    refused: NOT_FLOAT32,
  },
  {
    className: 'Conv2D',
    make: (a) => layers.conv2d(a as unknown as layers.Conv2DArgs),
    stock: (a) => tf.layers.conv2d(a as never),
    args: {filters: 1, kernelSize: 1},
    inputShape: [1, 1, 2, 1],
    refused: NOT_FLOAT32,
  },
  {
    className: 'SeparableConv2D',
    make: (a) => layers.separableConv2d(a as unknown as layers.SeparableConv2DArgs),
    stock: (a) => tf.layers.separableConv2d(a as never),
    args: {filters: 1, kernelSize: 1},
    inputShape: [1, 1, 2, 1],
    refused: NOT_FLOAT32,
  },
  {
    className: 'DepthwiseConv2D',
    make: (a) => layers.depthwiseConv2d(a as unknown as layers.DepthwiseConv2DArgs),
    stock: (a) => tf.layers.depthwiseConv2d(a as never),
    args: {kernelSize: 1},
    inputShape: [1, 1, 2, 1],
    refused: NOT_FLOAT32,
  },
];

/** The int32 input of an `IntInputCase`: [2049, 2048] in its shape. */
export function intInput(c: IntInputCase, dtype: 'int32' | 'float32' = 'int32'): tf.Tensor {
  return tf.tensor(TWO_VALUES, c.inputShape, dtype);
}
