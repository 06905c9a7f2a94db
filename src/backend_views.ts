import * as tf from '@tensorflow/tfjs';

// The parts of tfjs's backends that our kernels touch, typed structurally, so
// that src never imports tfjs-backend-cpu's internals or the optional
// @tensorflow/tfjs-backend-wasm package.

/** What a kernel uses of tfjs's pure-JS `cpu` backend (MathBackendCPU). */
export interface CpuBackendView {
  data: {get(dataId: tf.DataId): {values?: unknown}};
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
}

/** What a kernel uses of the `wasm` backend (BackendWasm): its output allocation and heap views. */
export interface WasmBackendView {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
  wasm?: {asm?: {memory?: unknown}};
}

/** True for a backend with the wasm backend's heap API. */
export function isWasmBackendView(backend: unknown): backend is WasmBackendView {
  const b = backend as Partial<WasmBackendView> | null;
  return typeof b?.makeOutput === 'function' && typeof b.typedArrayFromHeap === 'function';
}

/**
 * Registers each kernel whose name is not yet registered for its backend.
 * tfjs's `registerKernel` only warns on a duplicate (and the later one wins),
 * so skipping keeps a second copy of this package quiet and harmless.
 */
export function registerMissingKernels(configs: readonly tf.KernelConfig[]): void {
  for (const config of configs) {
    if (tf.getKernel(config.kernelName, config.backendName) == null) {
      tf.registerKernel(config);
    }
  }
}
