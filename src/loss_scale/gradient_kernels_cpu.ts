import * as tf from '@tensorflow/tfjs';
import {NON_FINITE_KERNEL_NAME, nonFiniteFlag} from './gradient_kernel_names';

// The parts of tfjs's MathBackendCPU this kernel uses, typed structurally so
// that we need not import tfjs-backend-cpu's internals.
interface CpuBackend {
  data: {get(dataId: tf.DataId): {values?: unknown}};
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
}

/** One read per element, no intermediate tensor. */
export const nonFiniteCpuConfig: tf.KernelConfig = {
  kernelName: NON_FINITE_KERNEL_NAME,
  backendName: 'cpu',
  kernelFunc: ({inputs, backend}) => {
    const cpu = backend as CpuBackend;
    const x = inputs['x'] as tf.TensorInfo;
    const flag = nonFiniteFlag(cpu.data.get(x.dataId).values as Float32Array);
    return cpu.makeTensorInfo([], 'float32', new Float32Array([flag]));
  },
};
