import * as tf from '@tensorflow/tfjs';

import {cast} from '../src/cast/cast';
import {NarrowDtype} from '../src/cast/narrow_dtype';
import {LayerInternals, LayerVariable} from './layer_internals';

/** Reads a variable as the layer computes with it (cast to the compute dtype). */
export type ReadVariable = (v: LayerVariable) => tf.Tensor;
/** Rounds an intermediate tensor to the compute dtype. */
export type Round = (t: tf.Tensor) => tf.Tensor;

/**
 * A layer's main operation before its bias and activation (the matmul or the
 * convolution), written with tf ops; `x` is already in the compute dtype. It
 * returns its result in the layer's data format, unrounded: the caller rounds
 * it. `round` is for intermediates it materializes itself (the depthwise
 * result of a separable convolution).
 */
export type LinearOp = (layer: LayerInternals, x: tf.Tensor, read: ReadVariable, round: Round) => tf.Tensor;

// Activations whose outputs are input values or exact constants: rounding
// them again would change nothing, so the pass is skipped.
const VALUE_PRESERVING = new Set(['linear', 'relu', 'relu6']);

/**
 * The forward pass in a float16/bfloat16 compute dtype, rounding at every
 * tensor real half precision would materialize: the input, each variable, the
 * linear result, the bias and the bias add, the activation. Integer and bool
 * inputs are not cast: they reach `linear` as they are, and the tf op decides
 * (matMul, conv3d and conv2dTranspose promote int32 exactly; conv1d, conv2d,
 * depthwiseConv2d and softmax refuse it, under every policy alike). Gradients
 * flowing back through each rounding are rounded too (`cast`'s gradient), and
 * reach the float32 variables.
 */
export function narrowForward(
  layer: LayerInternals,
  input: tf.Tensor,
  dtype: NarrowDtype,
  linear: LinearOp | null,
): tf.Tensor {
  return forwardWith(layer, input, (t) => cast(t, dtype), linear);
}

/**
 * The same forward pass in float32, with no rounding: what the float32 policy
 * runs where the stock tfjs `call` is wrong for the layer's configuration
 * (see `stock_call_gaps`), so that both policies compute one function.
 */
export function float32Forward(layer: LayerInternals, input: tf.Tensor, linear: LinearOp | null): tf.Tensor {
  return forwardWith(layer, input, (t) => t, linear);
}

function forwardWith(layer: LayerInternals, input: tf.Tensor, round: Round, linear: LinearOp | null): tf.Tensor {
  const read: ReadVariable = (v) => round(v.read());
  // Rounded even when it is tagged with this dtype already (an identity on
  // the values): the cast also rounds the gradient flowing back to the input.
  let y = input.dtype !== 'float32' ? input : round(input);
  if (linear !== null) {
    y = round(linear(layer, y, read, round));
  }
  if (layer.bias != null) {
    y = round(addBias(y, read(layer.bias), layer.dataFormat));
  }
  const activation = layer.activation;
  if (activation != null && activation.getClassName() !== 'linear') {
    const activated = activation.apply(y);
    y = VALUE_PRESERVING.has(activation.getClassName()) || activated.dtype !== 'float32' ? activated : round(activated);
  }
  return y;
}

function addBias(y: tf.Tensor, bias: tf.Tensor, dataFormat: LayerInternals['dataFormat']): tf.Tensor {
  if (dataFormat !== 'channelsFirst' || y.rank < 3) {
    return tf.add(y, bias);
  }
  const shape = [bias.shape[0] as number, ...new Array<number>(y.rank - 2).fill(1)];
  return tf.add(y, tf.reshape(bias, shape));
}
