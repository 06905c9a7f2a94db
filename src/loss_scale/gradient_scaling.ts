import * as tf from '@tensorflow/tfjs';
import {NON_FINITE_KERNEL_NAME} from './gradient_kernel_names';
import './register_gradient_kernels';

/** A tensor with its variable's name, as tfjs optimizers take and return them. */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

/** The gradient containers tfjs optimizers accept. */
export type Gradients = tf.NamedTensorMap | NamedTensor[];

/** `loss * scale`, in a new tensor; the input is left alone. */
export function scaleLoss<T extends tf.Tensor>(loss: T, scale: number): T {
  return tf.tidy(() => tf.mul(loss, tf.scalar(scale, 'float32')) as T);
}

/**
 * Every gradient divided by `scale` in float32, in the container shape it
 * came in (a name map, a `{name, tensor}` list, or a plain tensor list as
 * `tf.grads` returns). Null entries, which tfjs uses for variables without a
 * gradient, stay null. Inputs are left alone.
 */
export function unscaleGradients<G extends Gradients | tf.Tensor[]>(grads: G, scale: number): G {
  // tf.tidy's container typing does not follow the generic, hence the casts.
  return tf.tidy((): tf.TensorContainer => {
    const s = tf.scalar(scale, 'float32');
    const unscale = (g: tf.Tensor | null | undefined) =>
      g == null ? g : tf.div(g.dtype === 'float32' ? g : tf.cast(g, 'float32'), s);
    if (Array.isArray(grads)) {
      return (grads as (NamedTensor | tf.Tensor)[]).map((g) =>
        g instanceof tf.Tensor || g == null ? unscale(g) : {name: g.name, tensor: unscale(g.tensor)},
      ) as unknown as tf.TensorContainer;
    }
    const out: tf.NamedTensorMap = {};
    for (const name of Object.keys(grads)) {
      out[name] = unscale((grads as tf.NamedTensorMap)[name]) as tf.Tensor;
    }
    return out;
  }) as unknown as G;
}

/** The tensors of a gradient container, without the null entries. */
export function gradientTensors(grads: Gradients): tf.Tensor[] {
  const all = Array.isArray(grads) ? grads.map((g) => g.tensor) : Object.values(grads);
  return all.filter((t): t is tf.Tensor => t != null);
}

/**
 * True when no entry of any tensor is NaN or +-Inf, decided on the device
 * with a single scalar read: one flag per tensor (0 finite, non-zero
 * otherwise), added together. On cpu and wasm each flag is one read-only pass
 * (`NON_FINITE_KERNEL_NAME`); elsewhere it is `sum(g * 0)`, which is 0 for a
 * finite tensor and NaN as soon as one entry is NaN or Inf (and cannot
 * overflow, unlike `sum(g)`).
 */
export function allFinite(tensors: readonly tf.Tensor[]): boolean {
  if (tensors.length === 0) {
    return true;
  }
  const flag = tf.tidy(() => {
    const fused = hasKernel(NON_FINITE_KERNEL_NAME);
    const zero = fused ? null : tf.scalar(0, 'float32');
    const partials = tensors.map((t) => {
      const t32 = t.dtype === 'float32' ? t : tf.cast(t, 'float32');
      return fused
        ? (tf.engine().runKernel(NON_FINITE_KERNEL_NAME, {x: t32}) as tf.Tensor)
        : tf.sum(tf.mul(t32, zero as tf.Scalar));
    });
    return partials.length === 1 ? (partials[0] as tf.Tensor) : tf.addN(partials);
  });
  const value = flag.dataSync()[0];
  flag.dispose();
  return value === 0;
}

// Our fused kernel exists for cpu and wasm; other backends compose stock ops.
function hasKernel(kernelName: string): boolean {
  return tf.getKernel(kernelName, tf.getBackend()) != null;
}
