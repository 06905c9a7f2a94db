import * as tf from '@tensorflow/tfjs';
import {describeValue} from '../dtypes';

// Inner optimizers already wrapped: like Keras, one LossScaleOptimizer per inner
// optimizer (two would each count and skip steps over the same slots).
const wrapped = new WeakSet<tf.Optimizer>();

const OPTIMIZER_METHODS = ['minimize', 'computeGradients', 'applyGradients'] as const;

/**
 * Refuses what a `LossScaleOptimizer` cannot wrap, with the fix: a name, a
 * loss-scale optimizer, an optimizer already wrapped, and anything that does
 * not extend `tf.Optimizer` — including look-alikes, which tfjs's duck-typed
 * `instanceof tf.Optimizer` accepts but which lack the serialization and
 * weight methods the wrapper calls. Changes nothing; `markWrapped` records
 * the inner optimizer once the wrapper is built.
 */
export function checkInnerOptimizer(inner: unknown, isLossScaleOptimizer: (x: unknown) => boolean): asserts inner is tf.Optimizer {
  if (isLossScaleOptimizer(inner)) {
    const innerName = (inner as {innerOptimizer: tf.Optimizer}).innerOptimizer.getClassName();
    throw new Error(
      `LossScaleOptimizer cannot wrap another LossScaleOptimizer: loss scaling would apply twice. ` +
        `Wrap its innerOptimizer (a ${innerName}) instead, or use it as it is.`,
    );
  }
  if (typeof inner === 'string') {
    throw new Error(
      `LossScaleOptimizer needs an optimizer instance, not the name '${inner}': ` +
        `pass e.g. tf.train.${inner.toLowerCase()}(learningRate).`,
    );
  }
  if (typeof inner !== 'object' || inner === null || !Object.prototype.isPrototypeOf.call(tf.Optimizer.prototype, inner)) {
    const looksLikeOne =
      typeof inner === 'object' &&
      inner !== null &&
      OPTIMIZER_METHODS.every((m) => typeof (inner as Record<string, unknown>)[m] === 'function');
    throw new Error(
      `LossScaleOptimizer's innerOptimizer must be a tf.Optimizer such as tf.train.adam(0.001); received ` +
        (looksLikeOne
          ? `an object with ${OPTIMIZER_METHODS.join(', ')} that does not extend tf.Optimizer (tfjs's instanceof ` +
            `accepts such look-alikes, but the wrapper also needs getClassName, getConfig, getWeights, setWeights ` +
            `and dispose). Extend tf.Optimizer, and use the same copy of @tensorflow/tfjs as this package.`
          : `${describeValue(inner)}.`),
    );
  }
  if (wrapped.has(inner as tf.Optimizer)) {
    const name = (inner as tf.Optimizer).getClassName();
    throw new Error(
      `LossScaleOptimizer: this innerOptimizer (a ${name}) is already wrapped by a LossScaleOptimizer; an optimizer ` +
        `can only be wrapped by one. Use that LossScaleOptimizer, or wrap a new optimizer (e.g. tf.train.` +
        `${name.toLowerCase()}(...)).`,
    );
  }
}

/** Records that `inner` is now wrapped (see `checkInnerOptimizer`). */
export function markWrapped(inner: tf.Optimizer): void {
  wrapped.add(inner);
}
