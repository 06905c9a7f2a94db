import * as tf from '@tensorflow/tfjs';
import {NON_FINITE_KERNEL_NAME, UNSCALE_KERNEL_NAME, UnscaleAttrs, nonFiniteFlag, unscaleInto} from './gradient_kernel_names';

// The parts of tfjs's MathBackendCPU these kernels use, typed structurally so
// that we need not import tfjs-backend-cpu's internals.
interface CpuBackend {
  data: {get(dataId: tf.DataId): {values?: unknown}};
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
}

function valuesOf(backend: CpuBackend, x: tf.TensorInfo): Float32Array {
  return backend.data.get(x.dataId).values as Float32Array;
}

/** One read and one write per element. */
export const unscaleCpuConfig: tf.KernelConfig = {
  kernelName: UNSCALE_KERNEL_NAME,
  backendName: 'cpu',
  kernelFunc: ({inputs, backend, attrs}) => {
    const x = inputs['x'] as tf.TensorInfo;
    const cpu = backend as CpuBackend;
    const values = valuesOf(cpu, x);
    const out = new Float32Array(values.length);
    unscaleInto(values, out, (attrs as UnscaleAttrs).scale);
    return cpu.makeTensorInfo(x.shape, 'float32', out);
  },
};

/** One read per element, no intermediate tensor. */
export const nonFiniteCpuConfig: tf.KernelConfig = {
  kernelName: NON_FINITE_KERNEL_NAME,
  backendName: 'cpu',
  kernelFunc: ({inputs, backend}) => {
    const cpu = backend as CpuBackend;
    const flag = nonFiniteFlag(valuesOf(cpu, inputs['x'] as tf.TensorInfo));
    return cpu.makeTensorInfo([], 'float32', new Float32Array([flag]));
  },
};
