import * as tf from '@tensorflow/tfjs';
import {NON_FINITE_KERNEL_NAME, nonFiniteFlag} from './gradient_kernel_names';

// The parts of tfjs-backend-wasm's BackendWasm this kernel uses, typed
// structurally: src must not import the (optional) wasm backend package.
interface WasmBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

/** A JS loop over the wasm heap: one read per element. */
export const nonFiniteWasmConfig: tf.KernelConfig = {
  kernelName: NON_FINITE_KERNEL_NAME,
  backendName: 'wasm',
  kernelFunc: ({inputs, backend}) => {
    const wasm = backend as unknown as WasmBackend;
    const out = wasm.makeOutput([], 'float32');
    // Views only after makeOutput: growing the heap detaches older views.
    const flag = nonFiniteFlag(wasm.typedArrayFromHeap(inputs['x'] as tf.TensorInfo));
    wasm.typedArrayFromHeap(out)[0] = flag;
    return out;
  },
};
