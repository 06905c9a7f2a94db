import * as tf from '@tensorflow/tfjs';

import {NarrowDtype} from '../src/cast/narrow_dtype';

type Kwargs = Parameters<tf.layers.Layer['call']>[1];
/** The layer's own (stock or user-written) `call`. */
export type CallFn = (inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs) => tf.Tensor | tf.Tensor[];

/**
 * How a layer computes under a float16/bfloat16 compute dtype (the float32
 * compute dtype always runs the stock `call` untouched). The rows of
 * `LAYER_TABLE` pick one of these; Keras's per-layer rules map onto them.
 */
export interface Numerics {
  /** The kind's name, as the README table shows it. */
  readonly kind: 'autocast' | 'float32 inside' | 'float32 lookup' | 'float32 output';
  /** Floating inputs (all of them) cast to the compute dtype before `call`. */
  readonly castInputs: boolean;
  /**
   * Every kernel inside `call` reads its floating inputs in the compute dtype
   * (variables included) and has its floating outputs rounded
   * (`withKernelRounding`); otherwise `call` computes in float32.
   */
  readonly everyKernel: boolean;
  /** The dtype of the outputs: rounded to the compute dtype, or left float32. */
  readonly output: 'compute' | 'float32';
  /** Replaces the layer's `call` under a narrow compute dtype (see `maskedSoftmax`). */
  readonly call?: (call: CallFn, inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs, dtype: NarrowDtype) => tf.Tensor | tf.Tensor[];
}

/** Keras's base-layer autocast: the default for every class. */
export const AUTOCAST: Numerics = {kind: 'autocast', castInputs: true, everyKernel: true, output: 'compute'};
/** BatchNormalization, LayerNormalization, GlobalAveragePooling (Keras 3): float32 math, rounded output. */
export const FLOAT32_INSIDE: Numerics = {kind: 'float32 inside', castInputs: true, everyKernel: false, output: 'compute'};
/** Embedding: ids are not cast; float32 lookup; rounded output. */
export const FLOAT32_LOOKUP: Numerics = {kind: 'float32 lookup', castInputs: false, everyKernel: false, output: 'compute'};
/** CategoryEncoding: counts computed and returned in float32 (Keras outputs float32). */
export const FLOAT32_OUTPUT: Numerics = {kind: 'float32 output', castInputs: false, everyKernel: false, output: 'float32'};

// Keras 3 adds a large finite negative number to masked scores: -1e9 is -Inf
// in float16, and a fully masked row would then give NaN.
const MASK_ADDER: Readonly<Record<NarrowDtype, number>> = {float16: -65504 / 2, bfloat16: -1e9};

/**
 * Softmax with a mask: Keras's finite masking (`float16.min / 2`) instead of
 * tfjs's -1e9, then the stock unmasked softmax, all under `AUTOCAST`.
 */
export const MASKED_SOFTMAX: Numerics = {
  ...AUTOCAST,
  call: (call, inputs, kwargs, dtype) => {
    const mask = (kwargs as Record<string, unknown> | undefined)?.['mask'] as tf.Tensor | null | undefined;
    if (mask == null) {
      return call(inputs, kwargs);
    }
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    const adder = tf.mul(tf.sub(1, tf.cast(mask, 'float32')), MASK_ADDER[dtype]);
    return call(tf.add(x, adder), {...kwargs, mask: null});
  },
};
