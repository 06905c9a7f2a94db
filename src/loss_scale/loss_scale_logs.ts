import * as tf from '@tensorflow/tfjs';

/**
 * The key under which `model.fit` callbacks find the current loss scale.
 *
 * @example
 * model.compile({optimizer: new mp.LossScaleOptimizer(tf.train.adam()), loss: 'meanSquaredError'});
 * const history = await model.fit(xs, ys, {epochs: 2});
 * history.history[mp.LOSS_SCALE_LOG_KEY]; // [32768, 32768]
 */
export const LOSS_SCALE_LOG_KEY = 'lossScale';

let registered = false;

/**
 * Makes every `model.fit`/`fitDataset` whose optimizer is a loss-scale
 * optimizer report the current scale as `logs.lossScale`, at the end of each
 * batch and each epoch (so `history.history.lossScale` holds one value per
 * epoch). tfjs-layers builds the callbacks registered with
 * `tf.registerCallbackConstructor` for every fit, right after its own
 * BaseLogger and before the user's callbacks and History: users need not
 * add anything, and other optimizers are left alone.
 */
export function registerLossScaleLogs(isLossScaleOptimizer: (x: unknown) => x is {lossScale: number}): void {
  if (registered) {
    return;
  }
  class LossScaleLogs extends tf.Callback {
    override async onBatchEnd(_batch: number, logs?: tf.Logs): Promise<void> {
      this.report(logs);
    }
    override async onEpochEnd(_epoch: number, logs?: tf.Logs): Promise<void> {
      this.report(logs);
    }
    private report(logs?: tf.Logs): void {
      const optimizer = (this.model as tf.LayersModel | undefined)?.optimizer;
      if (logs !== undefined && isLossScaleOptimizer(optimizer)) {
        logs[LOSS_SCALE_LOG_KEY] = optimizer.lossScale;
      }
    }
  }
  // Verbosity 0: created for every fit, whatever its `verbose`.
  tf.registerCallbackConstructor(0, LossScaleLogs);
  registered = true;
}
