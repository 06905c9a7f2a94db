// Side-effect module: registers the loss-scaling kernels for cpu and wasm
// (the wasm ones wait in the registry until that backend is loaded).
// Importing it twice, or from two copies of this package, is harmless.
import * as tf from '@tensorflow/tfjs';
import {nonFiniteCpuConfig, unscaleCpuConfig} from './gradient_kernels_cpu';
import {nonFiniteWasmConfig, unscaleWasmConfig} from './gradient_kernels_wasm';

for (const config of [unscaleCpuConfig, nonFiniteCpuConfig, unscaleWasmConfig, nonFiniteWasmConfig]) {
  if (tf.getKernel(config.kernelName, config.backendName) == null) {
    tf.registerKernel(config);
  }
}
