// Side-effect module: registers the rounding kernels behind `cast` and their
// gradient. Importing it more than once is harmless (registerMissingKernels and the gradient guard skip what is there).
// Backends without a fused kernel (tensorflow, ...) get the composite of stock ops, registered
// on first use by `cast` (see ensureRoundKernel).

import * as tf from '@tensorflow/tfjs';

import {registerMissingKernels} from '../backend_views';
import {roundCpuConfig} from './round_cpu';
import {roundGradConfig} from './round_gradient';
import {ROUND_KERNEL_NAME} from './round_kernel_name';
import {roundWasmConfig} from './round_wasm';
import {roundWebGLConfig} from './round_webgl';
import {roundWebGPUConfig} from './round_webgpu';

registerMissingKernels([roundCpuConfig, roundWasmConfig, roundWebGLConfig, roundWebGPUConfig]);
if (tf.getGradient(ROUND_KERNEL_NAME) == null) {
  tf.registerGradient(roundGradConfig);
}
