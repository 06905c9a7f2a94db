// The losses the audit can differentiate, by the names tfjs's `compile`
// accepts, and how a loss argument (a name or a function) is resolved.

import * as tf from '@tensorflow/tfjs';

import {describeValue} from '../dtypes';

/** A loss: per-example or scalar; the audit takes the mean. */
export type AuditLossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

const LOSSES = {
  meanSquaredError: tf.metrics.meanSquaredError,
  meanAbsoluteError: tf.metrics.meanAbsoluteError,
  categoricalCrossentropy: tf.metrics.categoricalCrossentropy,
  binaryCrossentropy: tf.metrics.binaryCrossentropy,
  sparseCategoricalCrossentropy: (yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor => {
    const classes = yPred.shape[yPred.shape.length - 1] as number;
    const labels = tf.cast(tf.reshape(yTrue, [-1]), 'int32');
    const oneHot = tf.reshape(tf.oneHot(labels, classes), yPred.shape);
    return tf.metrics.categoricalCrossentropy(oneHot, yPred);
  },
} as const;

/** Loss names the audit accepts (as in `model.compile`). */
export type AuditLossName = keyof typeof LOSSES;

/** The accepted loss names. */
export const AUDIT_LOSS_NAMES = Object.keys(LOSSES) as AuditLossName[];

/** True for losses whose labels are class indices or one-hot rows. */
export function isClassificationLoss(name: AuditLossName): boolean {
  return name !== 'meanSquaredError' && name !== 'meanAbsoluteError';
}

/**
 * The loss function for `loss` (a name or a function); `undefined` falls back
 * to the compiled model's loss when it is one of these names or a function.
 */
export function resolveLoss(loss: unknown, model: tf.LayersModel): AuditLossFn {
  const chosen = loss ?? compiledLoss(model);
  if (typeof chosen === 'function') {
    return chosen as AuditLossFn;
  }
  if (typeof chosen === 'string' && chosen in LOSSES) {
    return LOSSES[chosen as AuditLossName];
  }
  const from = loss === undefined ? `the model's compiled loss is ${describeValue(chosen)}` : `received ${describeValue(loss)}`;
  throw new Error(
    `precisionAudit: options.loss must be a function (yTrue, yPred) => tensor or one of ` +
      `${AUDIT_LOSS_NAMES.map((n) => `'${n}'`).join(', ')} when labels are given; ${from}.`,
  );
}

function compiledLoss(model: tf.LayersModel): unknown {
  try {
    return (model as {loss?: unknown}).loss;
  } catch {
    return undefined;
  }
}
