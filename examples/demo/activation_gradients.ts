// Gradients of the loss with respect to a model's intermediate activations
// (not its weights): the quantity the paper's Figure 3 histograms, and the
// one that underflows first in float16.
//
// The model's layers are applied one by one, and a zero "probe" tensor is
// added to each measured activation; the gradient with respect to a probe is
// the gradient with respect to that activation. One backward pass serves all
// probes.

import * as tf from '@tensorflow/tfjs';

/** The activation gradients of one batch, per measured layer. */
export interface ActivationGradients {
  /** Names of the layers whose outputs were measured, in model order. */
  readonly layerNames: readonly string[];
  /** dLoss/dOutput of each measured layer, flattened. */
  readonly gradients: readonly Float32Array[];
  /** The (scaled) loss value of the batch. */
  readonly loss: number;
}

export interface ActivationGradientOptions {
  /** The layers to run, in order (a Sequential model's `layers`). */
  readonly layers: readonly tf.layers.Layer[];
  /** Indices into `layers` of the layers whose outputs are measured. */
  readonly measured: readonly number[];
  /** The input batch. */
  readonly x: tf.Tensor;
  /** The loss of the last layer's output, including any loss scale. */
  readonly loss: (output: tf.Tensor) => tf.Scalar;
  /**
   * Applied to each gradient before it is read, e.g. a cast to float16 to
   * see exactly what a float16 tensor would hold. Default: identity.
   */
  readonly materialize?: (gradient: tf.Tensor) => tf.Tensor;
}

/**
 * dLoss/dActivation at the outputs of the measured layers, as Float32Arrays.
 * Leaves no tensors behind.
 *
 * @example
 * const {gradients} = await activationGradients({
 *   layers: model.layers, measured: [0, 2], x: batch,
 *   loss: (p) => tf.losses.softmaxCrossEntropy(labels, p),
 * });
 */
export async function activationGradients(
  options: ActivationGradientOptions,
): Promise<ActivationGradients> {
  const {layers, measured, x} = options;
  const wanted = new Set(measured);
  for (const index of measured) {
    if (!Number.isInteger(index) || index < 0 || index >= layers.length) {
      throw new Error(
        `measured must hold layer indices from 0 to ${layers.length - 1}; received ${index}.`,
      );
    }
  }
  const materialize = options.materialize ?? ((g: tf.Tensor) => g.clone());

  // A first forward pass only to learn the probes' shapes.
  const shapes = tf.tidy(() => {
    const found: number[][] = [];
    let a = x;
    layers.forEach((layer, i) => {
      a = layer.apply(a, {training: false}) as tf.Tensor;
      if (wanted.has(i)) {
        found.push(a.shape.slice());
      }
    });
    return found;
  });

  const probes = shapes.map((shape) => tf.zeros(shape));
  try {
    const forward = (...p: tf.Tensor[]): tf.Scalar => {
      let a = x;
      let next = 0;
      layers.forEach((layer, i) => {
        a = layer.apply(a, {training: true}) as tf.Tensor;
        if (wanted.has(i)) {
          a = tf.add(a, p[next++] as tf.Tensor);
        }
      });
      return options.loss(a);
    };
    const {value, grads} = tf.tidy(() => {
      const {value: v, grads: g} = tf.valueAndGrads(forward)(probes);
      return {value: v, grads: g.map((t) => materialize(t))};
    });
    const gradients = await Promise.all(grads.map((g) => g.data() as Promise<Float32Array>));
    const loss = (await value.data())[0] as number;
    tf.dispose([value, ...grads]);
    return {
      layerNames: layers.filter((_, i) => wanted.has(i)).map((l) => l.name),
      gradients,
      loss,
    };
  } finally {
    tf.dispose(probes);
  }
}
