import * as tf from '@tensorflow/tfjs';

import {ROUND_KERNEL_NAME} from '../../src/cast/round_kernel_name';

/**
 * Registers a backend with every stock cpu kernel but none of ours, standing
 * in for webgl/tensorflow: a backend where `cast` must fall back to the
 * composite. Returns a function that removes it again.
 */
export async function registerFallbackBackend(name: string): Promise<() => void> {
  await tf.setBackend('cpu');
  const cpu = tf.findBackend('cpu') as object;
  const Backend = cpu.constructor as new () => tf.KernelBackend;
  const kernels = tf
    .getKernelsForBackend('cpu')
    .filter((k) => k.kernelName !== ROUND_KERNEL_NAME)
    .map((k) => ({...k, backendName: name}));
  kernels.forEach((k) => tf.registerKernel(k));
  tf.registerBackend(name, () => new Backend());
  return () => {
    if (tf.getBackend() === name) {
      tf.setBackend('cpu');
    }
    tf.removeBackend(name);
    for (const k of tf.getKernelsForBackend(name)) {
      tf.unregisterKernel(k.kernelName, name);
    }
  };
}
