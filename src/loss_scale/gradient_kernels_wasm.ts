import * as tf from '@tensorflow/tfjs';
import {NON_FINITE_KERNEL_NAME, UNSCALE_KERNEL_NAME, UnscaleAttrs, nonFiniteFlag, unscaleInto} from './gradient_kernel_names';

// The parts of tfjs-backend-wasm's BackendWasm these kernels use, typed
// structurally: src must not import the (optional) wasm backend package.
interface WasmBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

/** JS loops over the wasm heap: one read and one write per element. */
export const unscaleWasmConfig: tf.KernelConfig = {
  kernelName: UNSCALE_KERNEL_NAME,
  backendName: 'wasm',
  kernelFunc: ({inputs, backend, attrs}) => {
    const x = inputs['x'] as tf.TensorInfo;
    const wasm = backend as unknown as WasmBackend;
    const out = wasm.makeOutput(x.shape, 'float32');
    // Views only after makeOutput: growing the heap detaches older views.
    unscaleInto(wasm.typedArrayFromHeap(x), wasm.typedArrayFromHeap(out), (attrs as UnscaleAttrs).scale);
    return out;
  },
};

export const nonFiniteWasmConfig: tf.KernelConfig = {
  kernelName: NON_FINITE_KERNEL_NAME,
  backendName: 'wasm',
  kernelFunc: ({inputs, backend}) => {
    const wasm = backend as unknown as WasmBackend;
    const out = wasm.makeOutput([], 'float32');
    const flag = nonFiniteFlag(wasm.typedArrayFromHeap(inputs['x'] as tf.TensorInfo));
    wasm.typedArrayFromHeap(out)[0] = flag;
    return out;
  },
};
