import * as tf from '@tensorflow/tfjs';

import {WasmBackendView} from '../backend_views';
import {roundBits} from './round_bits';
import {RoundAttrs, ROUND_KERNEL_NAME} from './round_kernel_name';
import {instantiateSimdRound, SIMD_BLOCK_BYTES, SimdRoundExports} from './simd_round_module';

// One SIMD instance per heap; null where it cannot be built (no SIMD in the
// engine, a differently built module). The threaded build's heap is a
// shared memory: the module then imports it as shared.
const simdByMemory = new WeakMap<WebAssembly.Memory, SimdRoundExports | null>();

function simdFor(backend: WasmBackendView): SimdRoundExports | null {
  const memory = backend.wasm?.asm?.memory ?? backend.wasm?.wasmMemory;
  if (!(memory instanceof WebAssembly.Memory)) {
    return null;
  }
  let simd = simdByMemory.get(memory);
  if (simd === undefined) {
    try {
      simd = instantiateSimdRound(memory);
    } catch {
      simd = null;
    }
    simdByMemory.set(memory, simd);
  }
  return simd;
}

/** How the wasm kernel rounds: our SIMD module, or the JS loop over the heap. */
export type WasmRoundPath = 'simd' | 'js';

let preferredPath: WasmRoundPath = 'simd';
let lastPath: WasmRoundPath | null = null;

/**
 * Chooses the path for later calls ('simd' still falls back to 'js' where
 * SIMD is unavailable). Internal: lets tests and benches check both paths.
 */
export function preferWasmRoundPath(path: WasmRoundPath): void {
  preferredPath = path;
}

/** The path the last wasm rounding actually took (null before any). */
export function lastWasmRoundPath(): WasmRoundPath | null {
  return lastPath;
}

function roundWasm({inputs, backend, attrs}: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const x = inputs.x as tf.TensorInfo;
  const {dtype} = attrs as RoundAttrs;
  const wasm = backend as unknown as WasmBackendView;
  const out = wasm.makeOutput(x.shape, 'float32');
  // Views only after makeOutput: growing the heap detaches older views.
  const xs = wasm.typedArrayFromHeap(x);
  const outs = wasm.typedArrayFromHeap(out);
  const simd = preferredPath === 'simd' ? simdFor(wasm) : null;
  lastPath = simd !== null ? 'simd' : 'js';
  let done = 0;
  if (simd !== null) {
    const perBlock = SIMD_BLOCK_BYTES / 4;
    done = xs.length - (xs.length % perBlock);
    simd[dtype](xs.byteOffset, outs.byteOffset, done * 4);
  }
  if (done < xs.length) {
    const rest = outs.subarray(done);
    roundBits(
      dtype,
      new Uint32Array(xs.buffer, xs.byteOffset + done * 4, xs.length - done),
      new Uint32Array(rest.buffer, rest.byteOffset, rest.length),
      rest,
    );
  }
  return out;
}

/**
 * The rounding kernel for the `wasm` backend: a SIMD module of our own run
 * over the backend's heap, with the JS loop for the last few elements and
 * for engines without SIMD.
 */
export const roundWasmConfig: tf.KernelConfig = {
  kernelName: ROUND_KERNEL_NAME,
  backendName: 'wasm',
  kernelFunc: roundWasm,
};
