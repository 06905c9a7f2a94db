import * as tf from '@tensorflow/tfjs';

import {convPadding, fromChannelsLast, toChannelsLast} from './data_format';
import {LayerInternals, requireVariable} from './layer_internals';
import {LinearOp} from './narrow_forward';

// The convolution family's main operations, without bias and activation,
// written with the same tf ops and arguments tfjs's layers use, in channels-
// last layout inside (tf's conv ops), the layer's data format outside.

function variable(layer: LayerInternals, name: 'kernel' | 'depthwiseKernel' | 'pointwiseKernel') {
  return requireVariable(layer as unknown as tf.layers.Layer, layer[name], name);
}

function numbers(value: number | number[] | undefined, rank: number): number[] {
  if (value === undefined) {
    return new Array<number>(rank).fill(1);
  }
  return typeof value === 'number' ? new Array<number>(rank).fill(value) : value;
}

/** A 2D conv argument (a number or a pair) as a pair. */
export function pair(value: number | number[] | undefined): [number, number] {
  const [a, b] = numbers(value, 2);
  return [a as number, b as number];
}

function triple(value: number | number[] | undefined): [number, number, number] {
  const [a, b, c] = numbers(value, 3);
  return [a as number, b as number, c as number];
}

export const conv1dLinear: LinearOp = (layer, x, read) => {
  // (tfjs's own Conv1D returns channels-last even for channels-first input,
  // contradicting its computeOutputShape; this follows computeOutputShape.)
  const stride = numbers(layer.strides, 1)[0] as number;
  const dilation = numbers(layer.dilationRate, 1)[0] as number;
  const y = tf.conv1d(
    toChannelsLast(x, layer) as tf.Tensor3D,
    read(variable(layer, 'kernel')) as tf.Tensor3D,
    stride,
    convPadding(layer),
    'NWC',
    dilation,
  );
  return fromChannelsLast(y, layer);
};

export const conv2dLinear: LinearOp = (layer, x, read) => {
  const y = tf.conv2d(
    toChannelsLast(x, layer) as tf.Tensor4D,
    read(variable(layer, 'kernel')) as tf.Tensor4D,
    pair(layer.strides),
    convPadding(layer),
    'NHWC',
    pair(layer.dilationRate),
  );
  return fromChannelsLast(y, layer);
};

export const conv3dLinear: LinearOp = (layer, x, read) => {
  const y = tf.conv3d(
    toChannelsLast(x, layer) as tf.Tensor5D,
    read(variable(layer, 'kernel')) as tf.Tensor5D,
    triple(layer.strides),
    convPadding(layer),
    'NDHWC',
    triple(layer.dilationRate),
  );
  return fromChannelsLast(y, layer);
};

export const conv2dTransposeLinear: LinearOp = (layer, x, read) => {
  // The layer's own shape rule (deconvLength), in the layer's data format.
  const outShape = layer.computeOutputShape(x.shape) as number[];
  const channelsLastShape =
    layer.dataFormat === 'channelsFirst'
      ? [outShape[0], outShape[2], outShape[3], outShape[1]]
      : outShape;
  const y = tf.conv2dTranspose(
    toChannelsLast(x, layer) as tf.Tensor4D,
    read(variable(layer, 'kernel')) as tf.Tensor4D,
    channelsLastShape as [number, number, number, number],
    pair(layer.strides),
    convPadding(layer),
  );
  return fromChannelsLast(y, layer);
};

export const separableConv2dLinear: LinearOp = (layer, x, read, round) => {
  // tf.separableConv2d is a depthwise then a 1x1 convolution; in half
  // precision the depthwise result materializes, so it is rounded between.
  const depthwise = tf.depthwiseConv2d(
    toChannelsLast(x, layer) as tf.Tensor4D,
    read(variable(layer, 'depthwiseKernel')) as tf.Tensor4D,
    pair(layer.strides),
    convPadding(layer),
    'NHWC',
    pair(layer.dilationRate),
  );
  const y = tf.conv2d(
    round(depthwise) as tf.Tensor4D,
    read(variable(layer, 'pointwiseKernel')) as tf.Tensor4D,
    1,
    'valid',
  );
  return fromChannelsLast(y, layer);
};

export const depthwiseConv2dLinear: LinearOp = (layer, x, read) => {
  // dilationRate is honoured (tfjs's own DepthwiseConv2D passes null and
  // silently ignores it); for a dilated layer the float32 policy runs this op
  // too (stock_call_gaps), so every policy computes the dilated function.
  const y = tf.depthwiseConv2d(
    toChannelsLast(x, layer) as tf.Tensor4D,
    read(variable(layer, 'depthwiseKernel')) as tf.Tensor4D,
    pair(layer.strides),
    convPadding(layer),
    'NHWC',
    pair(layer.dilationRate),
  );
  return fromChannelsLast(y, layer);
};
