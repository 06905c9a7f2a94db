import * as tf from '@tensorflow/tfjs';
import {CpuBackendView} from '../backend_views';
import {NON_FINITE_KERNEL_NAME, nonFiniteFlag} from './gradient_kernel_names';

/** One read per element, no intermediate tensor. */
export const nonFiniteCpuConfig: tf.KernelConfig = {
  kernelName: NON_FINITE_KERNEL_NAME,
  backendName: 'cpu',
  kernelFunc: ({inputs, backend}) => {
    const cpu = backend as unknown as CpuBackendView;
    const x = inputs['x'] as tf.TensorInfo;
    const flag = nonFiniteFlag(cpu.data.get(x.dataId).values as Float32Array);
    return cpu.makeTensorInfo([], 'float32', new Float32Array([flag]));
  },
};
