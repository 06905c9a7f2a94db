// Side-effect module: registers the finiteness-check kernel for cpu and wasm
// (the wasm one waits in the registry until that backend is loaded).
// Importing it twice, or from two copies of this package, is harmless.
import * as tf from '@tensorflow/tfjs';
import {nonFiniteCpuConfig} from './gradient_kernels_cpu';
import {nonFiniteWasmConfig} from './gradient_kernels_wasm';

for (const config of [nonFiniteCpuConfig, nonFiniteWasmConfig]) {
  if (tf.getKernel(config.kernelName, config.backendName) == null) {
    tf.registerKernel(config);
  }
}
