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
  /**
   * The emscripten module: the SIMD build exports its memory (asm.memory);
   * the threaded build creates a shared one and imports it (wasmMemory).
   */
  wasm?: {asm?: {memory?: unknown}; wasmMemory?: unknown};
}

/** What a kernel uses of the `webgl` backend (MathBackendWebGL): running a GLSL program. */
export interface WebGLBackendView {
  runWebGLProgram(
    program: {variableNames: string[]; outputShape: number[]; userCode: string; packedInputs?: boolean; packedOutput?: boolean},
    inputs: tf.TensorInfo[],
    outputDtype: tf.DataType,
  ): tf.TensorInfo;
}

/** A compute program as the `webgpu` backend (WebGPUBackend) runs it. */
export interface WebGPUProgramView {
  variableNames: string[];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: {x: number[]};
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  /** Values per invocation (1, or 4 for vec4s) of the output and of each input. */
  outputComponent: number;
  variableComponents: number[];
  /** Adds `uniforms.size` (the element count, in components) to the shader. */
  size: boolean;
  getUserCode(): string;
}

/** What a kernel uses of the `webgpu` backend: running a WGSL program. */
export interface WebGPUBackendView {
  runWebGPUProgram(program: WebGPUProgramView, inputs: tf.TensorInfo[], outputDtype: tf.DataType): tf.TensorInfo;
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
