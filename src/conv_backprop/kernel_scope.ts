import * as tf from '@tensorflow/tfjs';

/**
 * Runs a backend's own registered kernels from inside another kernel, and
 * frees every intermediate it produced.
 *
 * Kernels receive raw `TensorInfo`s, not engine tensors, so the engine's
 * `tidy` cannot see what a composed kernel allocates: each intermediate must be
 * released with `backend.disposeData`. This scope records them and releases
 * all but the kept result in `dispose`, also when a step throws.
 *
 * @example
 * const scope = new KernelScope(backend, 'wasm');
 * try {
 *   const xT = scope.run('Transpose', {x}, {perm: [3, 1, 2, 0]});
 *   return scope.keep(scope.run('Conv2D', {x: xT, filter}, attrs));
 * } finally {
 *   scope.dispose();
 * }
 */
export class KernelScope {
  private readonly owned: tf.TensorInfo[] = [];

  constructor(readonly backend: tf.KernelBackend, readonly backendName: string) {}

  /** Runs `kernelName` of this backend and owns its output until `keep`. */
  run(kernelName: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap = {}): tf.TensorInfo {
    const config = tf.getKernel(kernelName, this.backendName);
    if (config == null) {
      throw new Error(
          `Composed convolution backprop needs kernel '${kernelName}' on backend ` +
          `'${this.backendName}', which has none registered.`);
    }
    const out = config.kernelFunc({inputs, backend: this.backend, attrs});
    if (Array.isArray(out)) {
      // None of the kernels composed here has several outputs; free them all
      // rather than leak if a backend ever answers with an array.
      out.forEach((t) => this.backend.disposeData(t.dataId));
      throw new Error(`Kernel '${kernelName}' returned ${out.length} outputs; expected one.`);
    }
    this.owned.push(out);
    return out;
  }

  /** Owns `t`, produced outside `run` (for example by `backend.write`). */
  adopt(t: tf.TensorInfo): tf.TensorInfo {
    this.owned.push(t);
    return t;
  }

  /** Stops owning `t` (the result handed back to the engine) and returns it. */
  keep(t: tf.TensorInfo): tf.TensorInfo {
    const i = this.owned.findIndex((o) => o.dataId === t.dataId);
    if (i >= 0) this.owned.splice(i, 1);
    return t;
  }

  /** Releases every owned intermediate. */
  dispose(): void {
    for (const t of this.owned.splice(0)) this.backend.disposeData(t.dataId);
  }
}

/**
 * The same data under another shape of equal size, without a copy: a reshape
 * of a row-major buffer only changes how kernels index it. The view is not
 * owned separately: it lives as long as `t`.
 *
 * @example
 * const flat = view(dy, [batch * outHeight, 1, outWidth, 1, channels]);
 */
export function view(t: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  return {dataId: t.dataId, shape, dtype: t.dtype};
}
