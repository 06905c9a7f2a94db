import * as tf from '@tensorflow/tfjs';

/** A tfjs layer variable (the class is not exported by tfjs). */
export type LayerVariable = tf.layers.Layer['weights'][number];

/** A tfjs activation object (`getActivation(...)`), private on the layers. */
export interface ActivationFn {
  apply(x: tf.Tensor): tf.Tensor;
  getClassName(): string;
}

/**
 * The fields the stock Dense, Conv and Activation layers keep private in tfjs's
 * .d.ts but that a forward pass must read. Absent fields are undefined.
 */
export interface LayerInternals {
  kernel?: LayerVariable | null;
  bias?: LayerVariable | null;
  depthwiseKernel?: LayerVariable | null;
  pointwiseKernel?: LayerVariable | null;
  activation?: ActivationFn | null;
  units?: number;
  filters?: number;
  kernelSize?: number[];
  strides?: number[];
  padding?: 'valid' | 'same' | 'causal';
  dataFormat?: 'channelsFirst' | 'channelsLast';
  dilationRate?: number | number[];
  computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[];
}

/** Reads a layer's private fields (see `LayerInternals`). */
export function internals(layer: tf.layers.Layer): LayerInternals {
  return layer as unknown as LayerInternals;
}

/** A required variable, with an error naming the layer if it is not built. */
export function requireVariable(layer: tf.layers.Layer, v: LayerVariable | null | undefined, what: string): LayerVariable {
  if (v == null) {
    throw new Error(`${layer.name}: ${what} is missing; the layer must be built before it is called.`);
  }
  return v;
}
