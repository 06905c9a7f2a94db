import * as tf from '@tensorflow/tfjs';

import {describeValue} from '../dtypes';
import {someLayer} from '../models/some_layer';
import {LossScaleOptimizer, isLossScaleOptimizer} from './loss_scale_optimizer';

// The policy under which Keras 2 and 3 wrap the optimizer at compile
// (`self.dtype_policy.name == "mixed_float16"`): bfloat16 needs no loss
// scaling, and a pure float16 policy is left alone as Keras 3 does.
const LOSS_SCALED_POLICY = 'mixed_float16';

declare module '@tensorflow/tfjs-layers/dist/engine/training' {
  interface ModelCompileArgs {
    /**
     * tfjs-mixed-precision: when the model has `mixed_float16` layers, wrap
     * the optimizer in a dynamic `LossScaleOptimizer` (Keras's
     * `auto_scale_loss`). Default true; `false` compiles the optimizer as given.
     */
    autoScaleLoss?: boolean;
  }
}

/**
 * True when a layer of `model` (nested models included) has the
 * `mixed_float16` policy: the model then trains in float16 and `compile`
 * applies loss scaling. tfjs models have no policy of their own, so the
 * layers stand in for Keras's model-level policy (the global policy when
 * the model was built, which is what its layers took).
 *
 * @example
 * mp.usesLossScaling(mp.withPolicy('mixed_float16', () => buildModel())); // true
 */
export function usesLossScaling(model: tf.LayersModel): boolean {
  return someLayer(model, (layer) => (layer as {policy?: {name?: unknown}}).policy?.name === LOSS_SCALED_POLICY);
}

type Compile = (this: tf.LayersModel, args: tf.ModelCompileArgs) => void;
type LoadTrainingConfig = (this: tf.LayersModel, config: unknown) => void;
const HOOKED = Symbol.for('tfjs-mixed-precision.autoLossScaleCompile');
let logged = false;
// The wrappers compile made, by inner optimizer: compiling again with the
// same optimizer (a second compile, or a second model) reuses its wrapper,
// and so its loss scale, since an optimizer can be wrapped only once.
const autoWrappers = new WeakMap<tf.Optimizer, LossScaleOptimizer>();
// True while a saved training config compiles a model: it names the
// optimizer the model was trained with (a LossScaleOptimizer when one was
// used), so loading restores exactly that one and its saved state.
let restoringSavedConfig = false;

/**
 * Makes `LayersModel.prototype.compile` (also `Sequential`'s, and the one
 * `tf.loadLayersModel` calls for a saved training config) wrap the optimizer
 * of a model with `mixed_float16` layers in a dynamic `LossScaleOptimizer`,
 * as Keras's `compile` does, unless it is one already or
 * `autoScaleLoss: false` is passed. A training config saved with a model
 * (`loadTrainingConfig`, which `tf.loadLayersModel` calls) compiles with the
 * optimizer it names, unwrapped unless it was saved wrapped. Logs the first wrap of the process.
 * Idempotent, also across copies of this package.
 */
export function installAutoLossScale(): void {
  const proto = tf.LayersModel.prototype as unknown as {compile: Compile; loadTrainingConfig: LoadTrainingConfig; [HOOKED]?: true};
  if (proto[HOOKED] === true) {
    return;
  }
  const stockCompile = proto.compile;
  proto.compile = function compile(this: tf.LayersModel, args: tf.ModelCompileArgs): void {
    const {autoScaleLoss = true, ...stockArgs} = args ?? ({} as tf.ModelCompileArgs);
    if (typeof autoScaleLoss !== 'boolean') {
      throw new Error(
        `compile: autoScaleLoss must be true or false (default true: wrap the optimizer of a ` +
          `mixed_float16 model in a LossScaleOptimizer); received ${describeValue(autoScaleLoss)}.`,
      );
    }
    stockCompile.call(this, stockArgs);
    const self = this as unknown as {optimizer_: tf.Optimizer};
    if (!autoScaleLoss || restoringSavedConfig || isLossScaleOptimizer(self.optimizer_) || !usesLossScaling(this)) {
      return;
    }
    // Set the field, not the `optimizer` setter: the setter would clear
    // isOptimizerOwned, and a model that built its optimizer from a name
    // must still dispose it (the wrapper disposes its inner optimizer).
    const inner = self.optimizer_;
    const wrapped = autoWrappers.get(inner) ?? new LossScaleOptimizer(inner);
    autoWrappers.set(inner, wrapped);
    self.optimizer_ = wrapped;
    if (!logged) {
      logged = true;
      console.info(
        `tfjs-mixed-precision: compile wrapped the ${wrapped.innerOptimizer.getClassName()} optimizer of a ` +
          `model with mixed_float16 layers in a dynamic LossScaleOptimizer, as Keras does ` +
          `(model.optimizer.innerOptimizer is yours). Opt out with model.compile({..., autoScaleLoss: false}). ` +
          `Logged once.`,
      );
    }
  };
  const stockLoadTrainingConfig = proto.loadTrainingConfig;
  proto.loadTrainingConfig = function loadTrainingConfig(this: tf.LayersModel, config: unknown): void {
    const outer = restoringSavedConfig;
    restoringSavedConfig = true;
    try {
      stockLoadTrainingConfig.call(this, config);
    } finally {
      restoringSavedConfig = outer;
    }
  };
  Object.defineProperty(proto, HOOKED, {value: true});
}

installAutoLossScale();
