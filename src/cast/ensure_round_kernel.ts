import * as tf from '@tensorflow/tfjs';

import {compositeRoundConfig} from './round_composite';
import {ROUND_KERNEL_NAME} from './round_kernel_name';

/**
 * Makes sure the active backend can run the rounding kernel. tfjs throws
 * (`Kernel '...' not registered for backend '...'`) rather than falling back
 * when a kernel is missing, so any backend without a fused kernel (webgl,
 * tensorflow, ...) gets the composite of stock ops registered for it here.
 */
export function ensureRoundKernel(): void {
  tf.backend(); // initializes the backend if needed: getBackend() is null before
  const backendName = tf.getBackend();
  if (tf.getKernel(ROUND_KERNEL_NAME, backendName) == null) {
    tf.registerKernel(compositeRoundConfig(backendName));
  }
}
