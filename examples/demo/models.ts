// The demo's models, built from the policy-aware layers. Pooling and flatten
// are stock tfjs layers: they only select or reshape values, so float16
// values stay float16 through them, and the next policy layer rounds the
// gradient on its way back, as float16 hardware would hold it.

import * as tf from '@tensorflow/tfjs';

// In your project: import * as mp from 'tfjs-mixed-precision';
import * as mp from '../../src';
import {CLASSES, IMAGE_SIZE, PIXELS} from './mnist_idx';

/** Which architecture to train. */
export type ModelKind = 'convnet' | 'mlp';

/** A built model and the indices of the layers whose outputs are measured. */
export interface DemoModel {
  readonly model: tf.Sequential;
  /**
   * Layers whose output gradients are the activation gradients counted and
   * plotted: every hidden layer's output and the logits (not the float32
   * softmax, and not flatten, which only reshapes the layer before it).
   */
  readonly measured: readonly number[];
  /** Shape of one input example. */
  readonly inputShape: readonly number[];
}

/**
 * conv 3x3 (8, relu) - maxpool 2 - conv 3x3 (16, relu) - maxpool 2 - dense 10
 * - softmax in float32, or the MLP 784-512-512-10 - softmax in float32.
 * `policy` is a policy name such as 'float32' or 'mixed_float16'.
 *
 * @example
 * const {model} = buildModel('convnet', 'mixed_float16');
 */
export function buildModel(kind: ModelKind, policy: string): DemoModel {
  const model = tf.sequential();
  const dtype = policy as mp.layers.PolicyLike;
  // Seeded, so that every invocation of the demo starts from the same weights.
  let seed = 1710;
  const kernelInitializer = (): ReturnType<typeof tf.initializers.glorotUniform> =>
    tf.initializers.glorotUniform({seed: seed++});
  // The recommended ending of a mixed precision model: softmax in float32.
  const softmax = (): tf.layers.Layer => mp.layers.activation({activation: 'softmax', dtype: 'float32'});
  if (kind === 'convnet') {
    const inputShape = [IMAGE_SIZE, IMAGE_SIZE, 1];
    const conv = {kernelSize: 3, activation: 'relu', dtype} as const;
    model.add(mp.layers.conv2d({inputShape, filters: 8, ...conv, kernelInitializer: kernelInitializer()}));
    model.add(tf.layers.maxPooling2d({poolSize: 2}));
    model.add(mp.layers.conv2d({filters: 16, ...conv, kernelInitializer: kernelInitializer()}));
    model.add(tf.layers.maxPooling2d({poolSize: 2}));
    model.add(tf.layers.flatten());
    model.add(mp.layers.dense({units: CLASSES, dtype, kernelInitializer: kernelInitializer()}));
    model.add(softmax());
    return {model, measured: [0, 1, 2, 3, 5], inputShape};
  }
  if (kind === 'mlp') {
    const inputShape = [PIXELS];
    const relu = {units: 512, activation: 'relu', dtype} as const;
    model.add(mp.layers.dense({inputShape, ...relu, kernelInitializer: kernelInitializer()}));
    model.add(mp.layers.dense({...relu, kernelInitializer: kernelInitializer()}));
    model.add(mp.layers.dense({units: CLASSES, dtype, kernelInitializer: kernelInitializer()}));
    model.add(softmax());
    return {model, measured: [0, 1, 2], inputShape};
  }
  throw new Error(`kind must be 'convnet' or 'mlp'; received '${String(kind)}'.`);
}
