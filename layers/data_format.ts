import * as tf from '@tensorflow/tfjs';

import {LayerInternals} from './layer_internals';

// tf conv ops take channels-last tensors; channels-first layers transpose
// around them, as tfjs's own layers do.

/** NC... -> N...C for a channels-first layer; the input itself otherwise. */
export function toChannelsLast(x: tf.Tensor, layer: LayerInternals): tf.Tensor {
  if (layer.dataFormat !== 'channelsFirst') {
    return x;
  }
  const perm = [0, ...range(2, x.rank), 1];
  return tf.transpose(x, perm);
}

/** N...C -> NC... for a channels-first layer; the input itself otherwise. */
export function fromChannelsLast(y: tf.Tensor, layer: LayerInternals): tf.Tensor {
  if (layer.dataFormat !== 'channelsFirst') {
    return y;
  }
  const perm = [0, y.rank - 1, ...range(1, y.rank - 1)];
  return tf.transpose(y, perm);
}

/** The padding tf ops accept, with tfjs's own error for causal padding. */
export function convPadding(layer: LayerInternals): 'same' | 'valid' {
  if (layer.padding === 'causal') {
    throw new Error(`padding 'causal' is not implemented by tfjs convolutions; use 'same' or 'valid'.`);
  }
  return layer.padding === 'same' ? 'same' : 'valid';
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) {
    out.push(i);
  }
  return out;
}
