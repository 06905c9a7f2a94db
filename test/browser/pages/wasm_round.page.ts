// Page tests of the wasm rounding kernel's path: the SIMD module must run
// on the backend's heap in the SIMD build and in the threaded build (a
// shared memory, on a cross-origin isolated page), never the JS loop.
import * as tf from '@tensorflow/tfjs';

import {cast} from '../../../src';
import {lastWasmRoundPath} from '../../../src/cast/round_wasm';
import {definePageTest} from '../harness/page_api';

export interface WasmRoundPathResult {
  path: string | null;
  sharedMemory: boolean;
}

definePageTest('wasmRoundPath', async (): Promise<WasmRoundPathResult> => {
  const backend = tf.backend() as unknown as {wasm?: {asm?: {memory?: unknown}; HEAPU8?: Uint8Array}};
  const x = tf.tensor1d([1.1, 65520, -(2 ** -25), NaN, 3, 4, 5, 6, 7, 8]);
  const y = cast(x, 'float16');
  await y.data();
  tf.dispose([x, y]);
  const heap = backend.wasm?.HEAPU8?.buffer;
  return {
    path: lastWasmRoundPath(),
    sharedMemory: typeof SharedArrayBuffer === 'function' && heap instanceof SharedArrayBuffer,
  };
});
