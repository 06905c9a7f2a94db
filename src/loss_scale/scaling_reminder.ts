/**
 * Keras's warning for custom loops that apply gradients without scaling the
 * loss or unscaling the gradients: the flags are set by `getScaledLoss`,
 * `getUnscaledGradients` and `computeGradients` (which does both, and which
 * `minimize`, hence `model.fit`, goes through); `applyGradients` checks them.
 * Two booleans, no tensor work. Printed once per optimizer.
 */
export class ScalingReminder {
  private lossScaled = false;
  private gradientsUnscaled = false;
  private warned = false;

  markLossScaled(): void {
    this.lossScaled = true;
  }

  markGradientsUnscaled(): void {
    this.gradientsUnscaled = true;
  }

  /** Warns (once) when applyGradients is called before the scaling calls were ever made. */
  checkBeforeApply(): void {
    if (this.warned || (this.lossScaled && this.gradientsUnscaled)) {
      return;
    }
    this.warned = true;
    console.warn(reminderText(this.lossScaled, this.gradientsUnscaled));
  }
}

const EXAMPLE =
  '  const {grads} = tf.variableGrads(() => lso.getScaledLoss(lossFn()));\n' +
  '  lso.applyGradients(lso.getUnscaledGradients(grads));\n' +
  'or simply lso.minimize(lossFn).';

/** The warning's text for the calls that were missed. */
export function reminderText(lossScaled: boolean, gradientsUnscaled: boolean): string {
  const missed =
    !lossScaled && !gradientsUnscaled
      ? 'getScaledLoss() and LossScaleOptimizer.getUnscaledGradients()'
      : !lossScaled
        ? 'getScaledLoss() (you did call getUnscaledGradients())'
        : 'getUnscaledGradients() (you did call getScaledLoss())';
  return (
    `You forgot to call LossScaleOptimizer.${missed} before calling LossScaleOptimizer.applyGradients(). ` +
    `The gradients are then off by the loss scale, or underflow in float16, which will likely give a worse ` +
    `model; call them in your custom loop, for example:\n${EXAMPLE}`
  );
}
