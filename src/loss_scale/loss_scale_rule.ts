import {CheckedLossScaleOptions} from './loss_scale_options';

/** The whole state of loss scaling: the current scale and the run of finite steps. */
export interface LossScaleState {
  readonly scale: number;
  readonly goodSteps: number;
}

/** The options `adjustLossScale` reads. */
export type LossScaleRuleOptions = Pick<
  CheckedLossScaleOptions,
  'dynamic' | 'dynamicGrowthSteps' | 'growthFactor' | 'backoffFactor' | 'minScale' | 'maxScale'
>;

/**
 * The loss-scale update rule, a pure function of the state and whether this
 * step's gradients were all finite. Dynamic scaling (Keras, jmp, PyTorch):
 *
 * ```
 * if not dynamic:                      # fixed scale: nothing to adjust
 *   return state
 * if not gradsFinite:                  # overflow: the step is skipped
 *   scale     = max(scale * backoffFactor, minScale)
 *   goodSteps = 0
 * else:
 *   goodSteps = goodSteps + 1
 *   if goodSteps >= dynamicGrowthSteps:
 *     grown = scale * growthFactor     # in float32
 *     if isFinite(grown) and grown <= maxScale:
 *       scale = grown
 *     goodSteps = 0                    # reset even when the cap stopped growth
 * return {scale, goodSteps}
 * ```
 *
 * Products are rounded to float32 (`Math.fround`), because the scale lives in
 * a float32 tensor: the state always equals what the tensor holds.
 *
 * @example
 * const opts = {...DEFAULT_LOSS_SCALE_OPTIONS, initialScale: 2, dynamicGrowthSteps: 1};
 * adjustLossScale({scale: 2, goodSteps: 0}, true, opts);  // {scale: 4, goodSteps: 0}
 * adjustLossScale({scale: 4, goodSteps: 0}, false, opts); // {scale: 2, goodSteps: 0}
 */
export function adjustLossScale(
  state: LossScaleState,
  gradsFinite: boolean,
  options: LossScaleRuleOptions,
): LossScaleState {
  if (!options.dynamic) {
    return state;
  }
  if (!gradsFinite) {
    return {scale: Math.max(Math.fround(state.scale * options.backoffFactor), options.minScale), goodSteps: 0};
  }
  const goodSteps = state.goodSteps + 1;
  if (goodSteps < options.dynamicGrowthSteps) {
    return {scale: state.scale, goodSteps};
  }
  const grown = Math.fround(state.scale * options.growthFactor);
  const canGrow = Number.isFinite(grown) && grown <= options.maxScale;
  return {scale: canGrow ? grown : state.scale, goodSteps: 0};
}
