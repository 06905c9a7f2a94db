import * as tf from '@tensorflow/tfjs';
import {describeValue} from '../dtypes';
import {applyUnlessNonFinite} from './finite_step';
import {checkGradients} from './gradient_container';
import {Gradients, NamedTensor, allFinite, scaleLoss, unscaleGradients} from './gradient_scaling';
import {INNER_HYPERPARAMETERS, readHyperparameter, writeHyperparameter} from './inner_hyperparameters';
import {checkInnerOptimizer, markWrapped} from './inner_optimizer_check';
import {readLossScaleOptimizerConfig} from './keras_loss_scale_config';
import {CheckedLossScaleOptions, LossScaleOptions, checkOptions} from './loss_scale_options';
import {LossScaleState, adjustLossScale} from './loss_scale_rule';
import {registerLossScaleLogs} from './loss_scale_logs';
import {ScalingReminder} from './scaling_reminder';

// tf.Optimizer's Symbol.hasInstance is duck-typed (any optimizer passes
// `instanceof` for every optimizer class), so our class carries its own brand.
// Symbol.for: two copies of this package (ESM + CJS) still recognise each other.
const BRAND = Symbol.for('tfjs-mixed-precision.LossScaleOptimizer');

/**
 * Names of the two state weights, in front of the inner optimizer's weights.
 *
 * @example
 * const names = (await lso.getWeights()).map((w) => w.name);
 * names.slice(0, 2); // ['LossScaleOptimizer/current_loss_scale', 'LossScaleOptimizer/good_steps']
 */
export const LOSS_SCALE_WEIGHT_NAMES = [
  'LossScaleOptimizer/current_loss_scale',
  'LossScaleOptimizer/good_steps',
] as const;

/**
 * True for a `LossScaleOptimizer` (of this or another copy of the package),
 * false for everything else, including the other tfjs optimizers.
 *
 * @example
 * mp.isLossScaleOptimizer(new mp.LossScaleOptimizer(tf.train.sgd(0.1))); // true
 * mp.isLossScaleOptimizer(tf.train.sgd(0.1));                            // false
 */
export function isLossScaleOptimizer(x: unknown): x is LossScaleOptimizer {
  return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[BRAND] === true;
}

/**
 * Loss scaling for float16 training: wraps any tfjs optimizer, multiplies the
 * loss by a scale before differentiation so small float16 gradients do not
 * flush to zero, divides the gradients by it in float32, and skips a step
 * whose gradients hold a NaN or Inf (no variable and no inner optimizer state
 * changes). Dynamic scaling backs the scale off after such a step and grows
 * it after `dynamicGrowthSteps` finite steps (see `adjustLossScale`).
 *
 * A step with finite gradients is also skipped, and undone, when it writes a
 * NaN or Inf into one of the variables it updates: a variable stored as
 * float16 (the `float16` policy) overflows past 65504 to Inf from a finite
 * gradient. The scale is then left as it is (the scale did not cause it); the
 * step counts in `skippedSteps`. Variables, optimizer slots and the iteration
 * count get their old values back (see `applyUnlessNonFinite`).
 *
 * It is a `tf.Optimizer`: use it in `model.compile` or call `minimize`. In
 * `model.fit`, callbacks see the current scale as `logs.lossScale` at the end
 * of every batch and epoch. Each step reads one scalar back from the device
 * for the gradients' finiteness, and one more after an applied step for the
 * variables'.
 *
 * Unlike Keras 2's fixed `LossScaleOptimizer`, a fixed scale
 * (`dynamic: false`) also skips non-finite steps: no step writes a NaN or Inf
 * into a variable it updates. (Optimizer slots are not checked; they only
 * overflow for gradients near the float32 limit.)
 *
 * As in Keras, the inner optimizer's hyperparameters are read and set through
 * the wrapper (`lso.learningRate = 1e-4`), an optimizer can be wrapped by one
 * LossScaleOptimizer only, and a custom loop that never calls `getScaledLoss`
 * or `getUnscaledGradients` before `applyGradients` gets a warning, once.
 *
 * @example
 * const lso = new mp.LossScaleOptimizer(tf.train.adam(1e-3));
 * model.compile({optimizer: lso, loss: 'meanSquaredError'});
 * await model.fit(xs, ys, {callbacks: {onBatchEnd: (b, logs) => console.log(logs?.lossScale)}});
 *
 * // Custom loop:
 * lso.minimize(() => loss());
 * // or, with gradients of your own:
 * const {grads} = tf.variableGrads(() => lso.getScaledLoss(loss()));
 * lso.applyGradients(lso.getUnscaledGradients(grads));
 * lso.learningRate = 1e-4; // the inner Adam's
 */
export class LossScaleOptimizer extends tf.Optimizer {
  static readonly className = 'LossScaleOptimizer';

  /**
   * Recognises only loss-scale optimizers (tf.Optimizer's own check is
   * duck-typed); a subclass recognises only its own instances.
   */
  static override [Symbol.hasInstance](x: unknown): boolean {
    return (
      isLossScaleOptimizer(x) &&
      (this === LossScaleOptimizer || Object.prototype.isPrototypeOf.call(this.prototype, x))
    );
  }

  /** The optimizer that applies the (unscaled, finite) gradients. */
  readonly innerOptimizer: tf.Optimizer;
  // The inner optimizer's hyperparameters, forwarded (accessors defined below
  // the class from INNER_HYPERPARAMETERS); undefined when it has none of that name.
  /** The inner optimizer's learning rate; setting it sets the inner one's. */
  declare learningRate: number | undefined;
  /** The inner optimizer's momentum (Momentum, RMSProp). */
  declare momentum: number | undefined;
  /** The inner optimizer's beta1 (Adam, Adamax). */
  declare beta1: number | undefined;
  /** The inner optimizer's beta2 (Adam, Adamax). */
  declare beta2: number | undefined;
  /** The inner optimizer's epsilon (Adam, Adamax, RMSProp, Adadelta). */
  declare epsilon: number | undefined;
  /** The inner optimizer's decay (Adamax, RMSProp). */
  declare decay: number | undefined;
  /** The inner optimizer's rho (Adadelta). */
  declare rho: number | undefined;
  private readonly reminder = new ScalingReminder();
  private readonly options: CheckedLossScaleOptions;
  private state: LossScaleState;
  private skipped = 0;
  // Created on the first getWeights() and reused, so saving does not leak.
  private stateWeights: {scale: tf.Variable; goodSteps: tf.Variable} | null = null;

  constructor(innerOptimizer: tf.Optimizer, options: LossScaleOptions = {}) {
    super();
    checkInnerOptimizer(innerOptimizer, isLossScaleOptimizer);
    this.options = checkOptions(options);
    markWrapped(innerOptimizer);
    this.innerOptimizer = innerOptimizer;
    this.state = {scale: this.options.initialScale, goodSteps: 0};
    Object.defineProperty(this, BRAND, {value: true});
  }

  /** The current loss scale. */
  get lossScale(): number {
    return this.state.scale;
  }

  /** Consecutive finite steps since the scale last changed or a step was skipped. */
  get goodSteps(): number {
    return this.state.goodSteps;
  }

  /** Steps skipped by this instance because a gradient was NaN or Inf. */
  get skippedSteps(): number {
    return this.skipped;
  }

  /** Whether the scale adapts to the gradients. */
  get dynamic(): boolean {
    return this.options.dynamic;
  }

  /** The inner optimizer's iteration count: skipped steps do not count. */
  override get iterations(): number {
    return this.innerOptimizer.iterations;
  }

  /**
   * `loss * lossScale`, for custom loops that differentiate themselves. Given
   * a function returning the loss, returns a function returning the scaled
   * loss (with the scale at the time it is called), as Keras does.
   *
   * @example
   * const {grads} = tf.variableGrads(() => lso.getScaledLoss(loss()));
   * const same = tf.variableGrads(lso.getScaledLoss(() => loss()));
   */
  getScaledLoss<T extends tf.Tensor>(loss: T): T;
  getScaledLoss<T extends tf.Tensor>(loss: () => T): () => T;
  getScaledLoss<T extends tf.Tensor>(loss: T | (() => T)): T | (() => T) {
    if (typeof loss === 'function') {
      this.reminder.markLossScaled();
      return (): T => tf.tidy(() => scaleLoss(checkLoss(loss(), 'the value returned by loss()') as T, this.state.scale));
    }
    checkLoss(loss, 'loss');
    this.reminder.markLossScaled();
    return scaleLoss(loss, this.state.scale);
  }

  /**
   * Gradients of the scaled loss divided by `lossScale` in float32, in the
   * container they came in (name map, `{name, tensor}` list or tensor list).
   * The inputs are not disposed. A plain tensor list (as `tf.grads` returns)
   * comes back as one: `applyGradients` needs each gradient's variable name.
   *
   * @example
   * lso.applyGradients(lso.getUnscaledGradients(grads));
   */
  getUnscaledGradients<G extends Gradients | tf.Tensor[]>(grads: G): G {
    const unscaled = unscaleGradients(grads, this.state.scale);
    this.reminder.markGradientsUnscaled();
    return unscaled;
  }

  /**
   * Differentiates `f() * lossScale` and returns the unscaled value of `f()`
   * and the unscaled gradients (which may hold NaN/Inf: `applyGradients`
   * decides whether to use them).
   */
  override computeGradients(
    f: () => tf.Scalar,
    varList?: tf.Variable[],
  ): {value: tf.Scalar; grads: tf.NamedTensorMap} {
    const scale = this.state.scale;
    let loss: tf.Scalar | null = null;
    const {value: scaled, grads: scaledGrads} = tf.variableGrads(() => {
      // Kept so the caller gets the loss itself, not scaled/scale (which
      // rounds for non-power-of-two scales and is Inf when the product overflows).
      loss = tf.keep(f());
      return scaleLoss(loss, scale);
    }, varList);
    const grads = unscaleGradients(scaledGrads, scale);
    tf.dispose([scaled, scaledGrads]);
    this.reminder.markLossScaled();
    this.reminder.markGradientsUnscaled();
    return {value: loss as unknown as tf.Scalar, grads};
  }

  /**
   * Applies unscaled gradients through the inner optimizer if they are all
   * finite and the step writes no NaN or Inf into the variables they update;
   * else skips the step (no variable, slot or iteration count changes). Then
   * updates the loss scale. Takes what `tf.Optimizer.applyGradients` takes:
   * a `{variableName: gradient}` map or a `[{name, tensor}]` list; anything
   * else is refused before any change. One or two scalar device reads.
   *
   * @example
   * const {grads} = tf.variableGrads(() => lso.getScaledLoss(loss()));
   * lso.applyGradients(lso.getUnscaledGradients(grads));
   */
  override applyGradients(variableGradients: Gradients): void {
    const checked = checkGradients('LossScaleOptimizer.applyGradients', variableGradients);
    this.reminder.checkBeforeApply();
    this.step(variableGradients, checked.variables, checked.tensors);
  }

  override minimize(f: () => tf.Scalar, returnCost = false, varList?: tf.Variable[]): tf.Scalar | null {
    const {value, grads} = this.computeGradients(f, varList);
    try {
      // Same container as tf.Optimizer.minimize: inner optimizers index their
      // slots by position, so the order must match what they would have seen.
      const container =
        varList != null ? varList.map((v) => ({name: v.name, tensor: grads[v.name] as tf.Tensor})) : grads;
      const checked = checkGradients('LossScaleOptimizer.minimize', container);
      this.step(container, checked.variables, checked.tensors);
    } finally {
      tf.dispose(grads);
    }
    if (returnCost) {
      return value;
    }
    value.dispose();
    return null;
  }

  /**
   * The scale and the good-step counter, then the inner optimizer's weights:
   * `model.save(handler, {includeOptimizer: true})` stores them all.
   */
  override async getWeights(): Promise<NamedTensor[]> {
    const inner = await this.innerOptimizer.getWeights();
    const w = this.syncStateWeights();
    return [
      {name: LOSS_SCALE_WEIGHT_NAMES[0], tensor: w.scale},
      {name: LOSS_SCALE_WEIGHT_NAMES[1], tensor: w.goodSteps},
      ...inner,
    ];
  }

  /** Restores what `getWeights()` returned: the scale, the counter, then the inner weights. */
  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    if (!Array.isArray(weightValues)) {
      throw new Error(
        `LossScaleOptimizer.setWeights expects the [{name, tensor}] list LossScaleOptimizer.getWeights() returns; ` +
          `received ${describeValue(weightValues)}.`,
      );
    }
    const [scaleWeight, stepsWeight, ...inner] = weightValues;
    if (scaleWeight?.name !== LOSS_SCALE_WEIGHT_NAMES[0] || stepsWeight?.name !== LOSS_SCALE_WEIGHT_NAMES[1]) {
      throw new Error(
        `LossScaleOptimizer.setWeights expects the weights written by LossScaleOptimizer.getWeights(), ` +
          `starting with ${LOSS_SCALE_WEIGHT_NAMES.map((n) => `'${n}'`).join(', ')}; received names ` +
          `${describeValue(weightValues.slice(0, 3).map((w) => w.name))}. Weights saved from the bare ` +
          `inner optimizer belong to innerOptimizer.setWeights().`,
      );
    }
    for (const w of [scaleWeight, stepsWeight]) {
      if (!(w.tensor instanceof tf.Tensor) || w.tensor.rank !== 0) {
        throw new Error(
          `LossScaleOptimizer.setWeights: ${w.name} must be a scalar tensor (shape []); received ` +
            `${describeValue(w.tensor)}.`,
        );
      }
    }
    const scale = (await scaleWeight.tensor.data())[0];
    const goodSteps = (await stepsWeight.tensor.data())[0];
    if (scale === undefined || !(scale > 0) || !Number.isFinite(scale)) {
      throw new Error(`LossScaleOptimizer.setWeights: ${scaleWeight.name} must be a positive finite scalar; received ${scale}.`);
    }
    if (goodSteps === undefined || !Number.isInteger(goodSteps) || goodSteps < 0) {
      throw new Error(`LossScaleOptimizer.setWeights: ${stepsWeight.name} must be an integer >= 0; received ${goodSteps}.`);
    }
    // Inner first: if it rejects its weights, our state stays as it was.
    await this.innerOptimizer.setWeights(inner);
    this.state = {scale, goodSteps};
  }

  override getConfig(): tf.serialization.ConfigDict {
    const o = this.options;
    const inner = {className: this.innerOptimizer.getClassName(), config: this.innerOptimizer.getConfig()};
    if (!o.dynamic) {
      return {innerOptimizer: inner, dynamic: false, initialScale: o.initialScale};
    }
    return {
      innerOptimizer: inner,
      dynamic: true,
      initialScale: o.initialScale,
      dynamicGrowthSteps: o.dynamicGrowthSteps,
      growthFactor: o.growthFactor,
      backoffFactor: o.backoffFactor,
      minScale: o.minScale,
      maxScale: o.maxScale,
    };
  }

  /**
   * Rebuilds from `getConfig()`, and from the configs Keras writes (so a
   * converted Keras model's `training_config` loads with tf.loadLayersModel);
   * see `readLossScaleOptimizerConfig`. Does not mutate `config`.
   */
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    const {innerOptimizer, options} = readLossScaleOptimizerConfig(config);
    return new cls(innerOptimizer, options);
  }

  override dispose(): void {
    this.innerOptimizer.dispose();
    if (this.stateWeights !== null) {
      tf.dispose([this.stateWeights.scale, this.stateWeights.goodSteps]);
      this.stateWeights = null;
    }
  }

  // One step on checked gradients: skipped when a gradient is not finite, or
  // when applying them writes a NaN or Inf into a variable (undone then).
  private step(grads: Gradients, variables: tf.Variable[], tensors: tf.Tensor[]): void {
    const finite = allFinite(tensors);
    const applied =
      finite && applyUnlessNonFinite(this.innerOptimizer, variables, () => this.innerOptimizer.applyGradients(grads));
    if (!applied) {
      this.skipped += 1;
    }
    // After the inner step: if it throws, the scale state is unchanged. An
    // overflow of the update itself (finite gradients) leaves the scale alone.
    if (applied || !finite) {
      this.state = adjustLossScale(this.state, finite, this.options);
    }
  }

  private syncStateWeights(): {scale: tf.Variable; goodSteps: tf.Variable} {
    const {scale, goodSteps} = this.state;
    if (this.stateWeights === null) {
      this.stateWeights = tf.tidy(() => ({
        scale: tf.variable(tf.scalar(scale, 'float32'), false),
        goodSteps: tf.variable(tf.scalar(goodSteps, 'int32'), false),
      }));
    } else {
      const w = this.stateWeights;
      tf.tidy(() => {
        w.scale.assign(tf.scalar(scale, 'float32'));
        w.goodSteps.assign(tf.scalar(goodSteps, 'int32'));
      });
    }
    return this.stateWeights;
  }
}

function checkLoss(loss: unknown, what: string): tf.Tensor {
  if (!(loss instanceof tf.Tensor)) {
    throw new Error(
      `LossScaleOptimizer.getScaledLoss: ${what} must be a tensor (the loss) or a function returning one; ` +
        `received ${describeValue(loss)}.`,
    );
  }
  return loss;
}

// The inner optimizer's hyperparameters, read and set through the wrapper.
for (const name of INNER_HYPERPARAMETERS) {
  Object.defineProperty(LossScaleOptimizer.prototype, name, {
    get(this: LossScaleOptimizer) {
      return readHyperparameter(this.innerOptimizer, name);
    },
    set(this: LossScaleOptimizer, value: unknown) {
      writeHyperparameter(this.innerOptimizer, name, value);
    },
    configurable: true,
  });
}

/**
 * Builds a `LossScaleOptimizer` from a serialized one: ours, tf.keras 2.x's,
 * Keras 3's or TF 2.3's experimental form, snake_case or camelCased (see
 * `readLossScaleOptimizerConfig`).
 *
 * @example
 * const lso = mp.lossScaleOptimizerFromKerasConfig({
 *   optimizer: {class_name: 'SGD', config: {learning_rate: 0.1}},
 *   loss_scale: {class_name: 'DynamicLossScale',
 *                config: {initial_loss_scale: 32768, increment_period: 2000, multiplier: 2}},
 * });
 * lso.lossScale; // 32768
 */
export function lossScaleOptimizerFromKerasConfig(config: unknown): LossScaleOptimizer {
  const {innerOptimizer, options} = readLossScaleOptimizerConfig(config);
  return new LossScaleOptimizer(innerOptimizer, options);
}

tf.serialization.registerClass(LossScaleOptimizer);
registerLossScaleLogs(isLossScaleOptimizer);
