// Side-effect module: registers the rounding kernels behind `cast` and their
// gradient. Importing it more than once is harmless (the guard below).
// Backends without a fused kernel get the composite of stock ops, registered
// on first use by `cast` (see ensureRoundKernel).

import * as tf from '@tensorflow/tfjs';

import {roundCpuConfig} from './round_cpu';
import {roundGradConfig} from './round_gradient';
import {ROUND_KERNEL_NAME} from './round_kernel_name';
import {roundWasmConfig} from './round_wasm';

for (const config of [roundCpuConfig, roundWasmConfig]) {
  // registerKernel only warns on a duplicate; skip it to stay quiet when two
  // copies of this package are loaded.
  if (tf.getKernel(ROUND_KERNEL_NAME, config.backendName) == null) {
    tf.registerKernel(config);
  }
}
if (tf.getGradient(ROUND_KERNEL_NAME) == null) {
  tf.registerGradient(roundGradConfig);
}
