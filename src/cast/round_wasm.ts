import * as tf from '@tensorflow/tfjs';

import {roundBits} from './round_bits';
import {RoundAttrs, ROUND_KERNEL_NAME} from './round_kernel_name';

// The parts of tfjs-backend-wasm's BackendWasm this kernel uses, typed
// structurally: src must not import the (optional) wasm backend package.
export interface WasmBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

function roundWasm({inputs, backend, attrs}: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const x = inputs.x as tf.TensorInfo;
  const {dtype} = attrs as RoundAttrs;
  const wasm = backend as WasmBackend;
  const out = wasm.makeOutput(x.shape, 'float32');
  // Views only after makeOutput: growing the heap detaches older views.
  const xs = wasm.typedArrayFromHeap(x);
  const outs = wasm.typedArrayFromHeap(out);
  roundBits(
    dtype,
    new Uint32Array(xs.buffer, xs.byteOffset, xs.length),
    new Uint32Array(outs.buffer, outs.byteOffset, outs.length),
    outs,
  );
  return out;
}

/** The single-pass rounding kernel for the `wasm` backend, over its heap. */
export const roundWasmConfig: tf.KernelConfig = {
  kernelName: ROUND_KERNEL_NAME,
  backendName: 'wasm',
  kernelFunc: roundWasm,
};
