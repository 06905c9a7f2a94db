import * as tf from '@tensorflow/tfjs';

import {ROUND_KERNEL_NAME} from './round_kernel_name';

/**
 * The gradient of rounding to a narrow format is the upstream gradient
 * rounded to the same format: in a float16 region gradients are float16
 * values, so small ones underflow (which is why loss scaling exists). It goes
 * through the same kernel, so second derivatives work too, and never through
 * `round`, whose gradient is zero.
 */
export const roundGradConfig: tf.GradConfig = {
  kernelName: ROUND_KERNEL_NAME,
  gradFunc: (dy, _saved, attrs) => ({
    x: () => tf.engine().runKernel(ROUND_KERNEL_NAME, {x: dy as tf.Tensor}, attrs) as tf.Tensor,
  }),
};
