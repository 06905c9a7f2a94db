import * as tf from '@tensorflow/tfjs';
import {WasmBackendView} from '../backend_views';
import {NON_FINITE_KERNEL_NAME, nonFiniteFlag} from './gradient_kernel_names';

/** A JS loop over the wasm heap: one read per element. */
export const nonFiniteWasmConfig: tf.KernelConfig = {
  kernelName: NON_FINITE_KERNEL_NAME,
  backendName: 'wasm',
  kernelFunc: ({inputs, backend}) => {
    const wasm = backend as unknown as WasmBackendView;
    const out = wasm.makeOutput([], 'float32');
    // Views only after makeOutput: growing the heap detaches older views.
    const flag = nonFiniteFlag(wasm.typedArrayFromHeap(inputs['x'] as tf.TensorInfo));
    wasm.typedArrayFromHeap(out)[0] = flag;
    return out;
  },
};
