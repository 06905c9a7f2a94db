import * as tf from '@tensorflow/tfjs';

import {cast} from '../cast/cast';
import {describeValue} from '../dtypes';
import {applyPolicy} from '../models/apply_policy';
import {someLayer} from '../models/some_layer';
import {AuditLossFn, AuditLossName, resolveLoss} from './audit_loss';
import {HALF_FORMATS, HalfFormat} from './format_ranges';
import {RangeStats, RangeTally} from './range_tally';
import {Recording, newRecording, recordedForward} from './recorded_forward';
import {
  LayerStats,
  LayerVerdict,
  LossScaleRange,
  Verdict,
  intersectRanges,
  layerVerdict,
  worstVerdict,
} from './verdict';

/**
 * Options of `precisionAudit`.
 *
 * @example
 * mp.precisionAudit(model, xs, ys, {loss: 'categoricalCrossentropy', flushTolerance: 0.01});
 */
export interface PrecisionAuditOptions {
  /**
   * The loss differentiated when labels are given: a name as in
   * `model.compile` ('meanSquaredError', 'meanAbsoluteError',
   * 'categoricalCrossentropy', 'sparseCategoricalCrossentropy',
   * 'binaryCrossentropy') or a function (yTrue, yPred) => tensor (its mean
   * is taken). Default: the compiled model's loss.
   */
  loss?: AuditLossName | AuditLossFn;
  /**
   * Share of a layer's activation or weight gradients allowed to flush to
   * zero before the verdict is 'needs loss scaling'. Default 0.001.
   */
  flushTolerance?: number;
  /**
   * Largest relative error of a layer's rounded output still 'fine'
   * (float16 rounding alone gives about 3e-4, bfloat16 about 2e-3). Default 0.01.
   */
  maxRelativeError?: number;
}

/** One layer's audit (input layers included: their outputs are the model's inputs). */
export interface LayerAudit {
  readonly name: string;
  readonly className: string;
  /** Its outputs (all nodes in the model). */
  readonly outputs: RangeStats | null;
  /** Its weights' values (null when it has none). */
  readonly weights: RangeStats | null;
  /** Gradients of the loss with respect to its outputs (null without labels or when none reach it). */
  readonly activationGrads: RangeStats | null;
  /** Gradients of the loss with respect to its trainable weights (null without labels or weights). */
  readonly weightGrads: RangeStats | null;
  readonly verdicts: Readonly<Record<HalfFormat, LayerVerdict>>;
}

/** The whole audit. */
export interface PrecisionAudit {
  readonly layers: readonly LayerAudit[];
  /** Entries in the batch (first dimension of the first input). */
  readonly batchSize: number;
  /** The mean loss on the batch in float32 (null without labels). */
  readonly loss: number | null;
  /** Per format: the worst layer verdict and the loss scales that suit every layer. */
  readonly summary: Readonly<Record<HalfFormat, {readonly verdict: Verdict; readonly lossScale: LossScaleRange | null}>>;
}

/**
 * Runs `model` once on the batch `x` in float32 and measures, for every
 * layer and for float16 and bfloat16, what the format would make of its
 * outputs and weights and, given labels `y` and a loss, of its activation
 * and weight gradients: ranges, shares that overflow to Inf, flush to zero,
 * land in the subnormals, the relative error of the rounded output, a
 * verdict and the loss scales that keep its gradients representable.
 *
 * The model runs as it is built (layers in inference mode): audit the
 * float32 model to decide how to run it in half precision. Nothing in the
 * model changes (weights, optimizer state, policies); no tensor is left
 * behind. `x` and `y` are tensors, or arrays of them for several inputs or
 * outputs.
 *
 * @example
 * const audit = mp.precisionAudit(model, xs, ys, {loss: 'categoricalCrossentropy'});
 * console.log(mp.formatPrecisionAudit(audit));
 * audit.layers[2].verdicts.float16.verdict; // 'needs loss scaling'
 */
export function precisionAudit(
  model: tf.LayersModel,
  x: tf.Tensor | tf.Tensor[],
  y?: tf.Tensor | tf.Tensor[],
  options: PrecisionAuditOptions = {},
): PrecisionAudit {
  if (!(model instanceof tf.LayersModel)) {
    throw new Error(`precisionAudit: model must be a tf.LayersModel; received ${describeValue(model)}.`);
  }
  const thresholds = checkAuditOptions(options);
  const xs = tensorList('x', x, model.inputs.length, 'inputs');
  const ys = y === undefined ? null : tensorList('y', y, model.outputs.length, 'outputs');
  const lossFn = ys === null ? null : resolveLoss(options.loss, model);

  // The audit asks what float32 values become in half precision, so a model
  // whose layers compute in half precision is run through a float32 copy
  // (same topology and weights); the model itself is left untouched.
  const float32Copy = computesInHalfPrecision(model) ? applyPolicy(model, 'float32') : null;
  const audited = float32Copy ?? model;
  const recording = newRecording();
  const variables = audited.trainableWeights.map((w) => w.read());
  let grads: tf.Tensor[] = [];
  let loss: number | null = null;
  try {
    if (ys === null || lossFn === null) {
      tf.tidy(() => {
        recordedForward(audited, xs, recording);
      });
    } else {
      // A zero added to the loss: tf gradients need at least one x, and a
      // model without trainable weights still has activation gradients.
      const zero = tf.scalar(0);
      try {
        const result = tf.engine().gradients(
          () => {
            const predictions = recordedForward(audited, xs, recording);
            const losses = predictions.map((p, i) => tf.mean(lossFn(ys[i] as tf.Tensor, p)));
            return tf.addN([...losses, zero]) as tf.Scalar;
          },
          [...variables, zero],
          undefined,
          true,
        );
        grads = result.grads.slice(0, variables.length);
        loss = (result.value.dataSync() as Float32Array)[0] as number;
        result.value.dispose();
        result.grads[variables.length]?.dispose();
      } finally {
        zero.dispose();
      }
    }
    const gradOf = new Map<tf.Tensor, tf.Tensor>();
    variables.forEach((v, i) => {
      const g = grads[i];
      if (g != null) {
        gradOf.set(v, g);
      }
    });
    // A Sequential's input layer is not among its layers; its values are still worth a row.
    const inputLayers = audited.inputLayers.filter((l) => !audited.layers.includes(l));
    const layers = [...inputLayers, ...audited.layers].map((layer) => auditLayer(layer, recording, gradOf, ys !== null, thresholds));
    const summary = {} as Record<HalfFormat, {verdict: Verdict; lossScale: LossScaleRange | null}>;
    for (const format of HALF_FORMATS) {
      summary[format] = {
        verdict: worstVerdict(layers.map((l) => l.verdicts[format].verdict)),
        lossScale: intersectRanges(layers.map((l) => l.verdicts[format].lossScale)),
      };
    }
    return {layers, batchSize: xs[0]?.shape[0] ?? 0, loss, summary};
  } finally {
    for (const list of [...recording.activations.values(), ...recording.activationGrads.values()]) {
      tf.dispose(list);
    }
    tf.dispose(grads);
    float32Copy?.dispose();
  }
}

/** True when a layer of `model` (nested models included) has a policy that computes in float16 or bfloat16. */
function computesInHalfPrecision(model: tf.LayersModel): boolean {
  return someLayer(model, (layer) =>
    ['float16', 'bfloat16'].includes(String((layer as {policy?: {computeDtype?: unknown}}).policy?.computeDtype)),
  );
}

function auditLayer(
  layer: tf.layers.Layer,
  recording: Recording,
  gradOf: ReadonlyMap<tf.Tensor, tf.Tensor>,
  withLabels: boolean,
  thresholds: {flushTolerance: number; maxRelativeError: number},
): LayerAudit {
  const weightTensors = layer.weights.map((w) => w.read()).filter((t) => t.dtype === 'float32');
  const weightGrads = layer.trainableWeights
    .map((w) => gradOf.get(w.read()))
    .filter((g): g is tf.Tensor => g !== undefined);
  const stats: LayerStats = {
    outputs: tally(recording.activations.get(layer)),
    weights: tally(weightTensors),
    activationGrads: withLabels ? tally(recording.activationGrads.get(layer)) : null,
    weightGrads: withLabels ? tally(weightGrads) : null,
  };
  const verdicts = {} as Record<HalfFormat, LayerVerdict>;
  for (const format of HALF_FORMATS) {
    verdicts[format] = layerVerdict(stats, format, thresholds);
  }
  return {name: layer.name, className: layer.getClassName(), ...stats, verdicts};
}

// The statistics of some tensors, from their values and their rounded copies.
function tally(tensors: readonly tf.Tensor[] | undefined): RangeStats | null {
  if (tensors === undefined || tensors.length === 0) {
    return null;
  }
  const t = new RangeTally();
  for (const tensor of tensors) {
    const [half, brain] = tf.tidy(() => [cast(tensor, 'float16'), cast(tensor, 'bfloat16')]) as [tf.Tensor, tf.Tensor];
    try {
      t.add(tensor.dataSync() as Float32Array, {
        float16: half.dataSync() as Float32Array,
        bfloat16: brain.dataSync() as Float32Array,
      });
    } finally {
      half.dispose();
      brain.dispose();
    }
  }
  return t.stats();
}

function tensorList(arg: string, value: unknown, expected: number, what: string): tf.Tensor[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length !== expected || !list.every((t) => t instanceof tf.Tensor)) {
    throw new Error(
      `precisionAudit: ${arg} must be ${expected === 1 ? 'a tensor' : `an array of ${expected} tensors`} ` +
        `(the model has ${expected} ${what}); received ${describeValue(value)}.`,
    );
  }
  return list as tf.Tensor[];
}

/** Validates the thresholds, naming the bad option and value. */
export function checkAuditOptions(options: PrecisionAuditOptions): {flushTolerance: number; maxRelativeError: number} {
  if (options === null || typeof options !== 'object') {
    throw new Error(`precisionAudit: options must be an object; received ${describeValue(options)}.`);
  }
  const share = (name: 'flushTolerance' | 'maxRelativeError', fallback: number): number => {
    const v = options[name] ?? fallback;
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
      throw new Error(`precisionAudit: options.${name} must be a number from 0 to 1; received ${describeValue(v)}.`);
    }
    return v;
  };
  return {flushTolerance: share('flushTolerance', 0.001), maxRelativeError: share('maxRelativeError', 0.01)};
}
