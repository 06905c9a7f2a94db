// One training run of the demo: a model under one policy, trained with
// model.fit on batches fixed in advance, starting from given weights; at the
// end of each epoch it measures test accuracy and the activation gradients
// of a fixed sample batch, as this run's arithmetic computes them.

import * as tf from '@tensorflow/tfjs';

// In your project: import * as mp from 'tfjs-mixed-precision';
import * as mp from '../../src';
import {activationGradients} from './activation_gradients';
import {GradientHistogram} from './gradient_histogram';
import {ModelKind, buildModel} from './models';
import {formatDuration} from './progress';
import {RunResult, formatScale} from './results_table';

/** What distinguishes the runs. */
export interface RunSpec {
  /** Short name for tables and progress, e.g. '2'. */
  readonly name: string;
  /** 'float32' or 'mixed_float16' (any policy name the layers accept). */
  readonly policy: string;
  /** Wrap the optimizer in a dynamic LossScaleOptimizer. */
  readonly lossScaling: boolean;
}

/** What all runs of one experiment share, so that they differ only by RunSpec. */
export interface SharedSetup {
  readonly kind: ModelKind;
  /** Training inputs and one-hot labels, in batch order (fit does not shuffle). */
  readonly xTrain: tf.Tensor;
  readonly yTrain: tf.Tensor;
  readonly xTest: tf.Tensor;
  /** Test labels as int32 class indices. */
  readonly testLabels: tf.Tensor1D;
  /** The batch whose activation gradients are measured after each epoch. */
  readonly xSample: tf.Tensor;
  readonly ySample: tf.Tensor;
  /** Initial weights, in model.getWeights() order. */
  readonly initialWeights: readonly tf.Tensor[];
  readonly batchSize: number;
  readonly epochs: number;
  readonly learningRate: number;
  /**
   * The training loss is the mean cross-entropy times this constant
   * (1 normally; 2^-k to model a loss averaged over 2^k times more elements).
   */
  readonly lossMultiplier: number;
  /** Adam's epsilon, scaled with lossMultiplier so float32 training is unchanged. */
  readonly adamEpsilon: number;
}

/**
 * Where a run reports as it trains: the console demo's DemoProgress, or the
 * web page's charts.
 */
export interface RunProgress {
  /** One finished step of run `label` (1-based step within the epoch). */
  step(label: string, stepInEpoch: number, stepsInEpoch: number): void;
  /** A line of text at the end of each epoch. */
  line(text: string): void;
  /** Optional: each step's training loss (unscaled), for live charts. */
  stepLoss?(spec: RunSpec, step: number, loss: number): void;
  /** Optional: what an epoch measured, for live charts. */
  epochEnd?(spec: RunSpec, epoch: EpochReport): void;
}

/** What one epoch measured. */
export interface EpochReport {
  /** 1-based. */
  readonly epoch: number;
  /** Mean training loss of the epoch (unscaled). */
  readonly loss: number;
  readonly testAccuracy: number;
  /** Share of activation-gradient entries exactly zero, as the run computes them. */
  readonly gradientZeroFraction: number;
  /** Share flushed by float16 (null for a float32 run). */
  readonly underflowFraction: number | null;
  /** The loss scale after the epoch (null without loss scaling). */
  readonly lossScale: number | null;
}

/** A finished run: its table row, and the activation gradients it measured. */
export interface RunOutcome {
  readonly result: RunResult;
  /** The activation gradients of every sample point (float32 runs only; for the figure). */
  readonly samples: Float32Array[];
  /** Final weights, to compare runs. */
  readonly finalWeights: Float32Array[];
}

/**
 * Trains one run and measures it.
 *
 * @example
 * const outcome = await trainRun({name: '3', policy: 'mixed_float16', lossScaling: true}, setup, progress);
 */
export async function trainRun(
  spec: RunSpec,
  setup: SharedSetup,
  progress: RunProgress,
): Promise<RunOutcome> {
  const {model, measured} = buildModel(setup.kind, spec.policy);
  model.setWeights(setup.initialWeights as tf.Tensor[]);
  const adam = tf.train.adam(setup.learningRate, 0.9, 0.999, setup.adamEpsilon);
  const lso = spec.lossScaling ? new mp.LossScaleOptimizer(adam) : null;
  const optimizerName = lso === null ? 'adam' : 'LossScale(adam)';
  const multiplier = setup.lossMultiplier;
  const loss = (yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor =>
    tf.tidy(() => tf.mul(tf.mean(tf.metrics.categoricalCrossentropy(yTrue, yPred)), multiplier));
  // Run 2 shows float16 training without loss scaling: compile must not add it.
  model.compile({optimizer: lso ?? adam, loss, autoScaleLoss: false});

  const narrow = spec.policy.endsWith('float16');
  const label = `run ${spec.name} ${spec.policy}/${optimizerName}`;
  const stepsPerEpoch = Math.ceil((setup.xTrain.shape[0] as number) / setup.batchSize);
  const samples: Float32Array[] = [];
  const stepTimes: number[] = [];
  let epochLosses: number[] = [];
  let lastStepEnd = 0;
  let stepsDone = 0;
  const zeroFractions: number[] = [];
  const underflowFractions: number[] = [];

  // A float32 twin, given this run's weights at each sample point: entries
  // non-zero there but zero here are the ones float16 flushed.
  const twin = narrow ? buildModel(setup.kind, 'float32').model : null;
  const measure = async (): Promise<{zeros: number; underflow: number | null}> => {
    const scale = lso === null ? 1 : lso.lossScale;
    const sampleLoss = (p: tf.Tensor): tf.Scalar =>
      tf.mul(tf.mean(tf.metrics.categoricalCrossentropy(setup.ySample, p)), multiplier * scale);
    const {gradients} = await activationGradients({
      layers: model.layers,
      measured,
      x: setup.xSample,
      loss: sampleLoss,
      materialize: narrow ? (g) => mp.cast(g, 'float16') : undefined,
    });
    const point = new GradientHistogram();
    for (const g of gradients) {
      point.add(g);
      if (!narrow) {
        samples.push(g);
      }
    }
    if (twin === null) {
      return {zeros: point.fraction('zero'), underflow: null};
    }
    twin.setWeights(model.getWeights());
    const reference = await activationGradients({layers: twin.layers, measured, x: setup.xSample, loss: sampleLoss});
    return {zeros: point.fraction('zero'), underflow: underflowShare(reference.gradients, gradients)};
  };

  let testAccuracy = NaN;
  await model.fit(setup.xTrain, setup.yTrain, {
    batchSize: setup.batchSize,
    epochs: setup.epochs,
    shuffle: false,
    verbose: 0,
    callbacks: {
      onEpochBegin: async () => {
        epochLosses = [];
        lastStepEnd = Date.now();
      },
      onBatchEnd: async (batch, logs) => {
        const now = Date.now();
        stepTimes.push(now - lastStepEnd);
        lastStepEnd = now;
        const stepLoss = (logs?.['loss'] ?? NaN) / multiplier;
        epochLosses.push(stepLoss);
        stepsDone++;
        progress.step(label, batch + 1, stepsPerEpoch);
        progress.stepLoss?.(spec, stepsDone, stepLoss);
      },
      onEpochEnd: async (epoch) => {
        testAccuracy = await accuracy(model, setup.xTest, setup.testLabels);
        const {zeros, underflow} = await measure();
        zeroFractions.push(zeros);
        if (underflow !== null) {
          underflowFractions.push(underflow);
        }
        const underflowText = underflow === null ? '' : `  underflow ${(underflow * 100).toFixed(1)}%`;
        const scaleText = lso === null ? '' : `  scale ${formatScale(lso.lossScale)}  skipped ${lso.skippedSteps}`;
        progress.epochEnd?.(spec, {
          epoch: epoch + 1,
          loss: mean(epochLosses),
          testAccuracy,
          gradientZeroFraction: zeros,
          underflowFraction: underflow,
          lossScale: lso === null ? null : lso.lossScale,
        });
        progress.line(
          `  ${label}  epoch ${epoch + 1}/${setup.epochs}  loss ${mean(epochLosses).toFixed(4)}` +
            `  test acc ${(testAccuracy * 100).toFixed(2)}%  grads = 0: ${(zeros * 100).toFixed(1)}%${underflowText}` +
            `${scaleText}  ${formatDuration(median(stepTimes))}/step`,
        );
        lastStepEnd = Date.now();
      },
    },
  });

  const finalWeights = await Promise.all(model.getWeights().map((w) => w.data() as Promise<Float32Array>));
  const result: RunResult = {
    name: spec.name,
    policy: spec.policy,
    optimizer: optimizerName,
    testAccuracy,
    finalLoss: mean(epochLosses),
    msPerStep: median(stepTimes),
    gradientZeroFraction: mean(zeroFractions),
    underflowFraction: narrow ? mean(underflowFractions) : null,
    skippedSteps: lso === null ? 0 : lso.skippedSteps,
    finalLossScale: lso === null ? null : lso.lossScale,
  };
  model.dispose();
  twin?.dispose();
  adam.dispose();
  return {result, samples, finalWeights};
}

/**
 * Of the entries non-zero in `reference`, the share that are exactly zero in
 * `narrow` (same shapes, same order).
 */
export function underflowShare(reference: readonly Float32Array[], narrow: readonly Float32Array[]): number {
  let nonZero = 0;
  let flushed = 0;
  reference.forEach((r, i) => {
    const n = narrow[i] as Float32Array;
    for (let j = 0; j < r.length; j++) {
      if (r[j] !== 0) {
        nonZero++;
        if (n[j] === 0) {
          flushed++;
        }
      }
    }
  });
  return nonZero === 0 ? 0 : flushed / nonZero;
}

/** Test accuracy, predicting in chunks to bound memory. */
async function accuracy(model: tf.LayersModel, x: tf.Tensor, labels: tf.Tensor1D): Promise<number> {
  const correct = tf.tidy(() => {
    const predicted = tf.argMax(model.predict(x, {batchSize: 500}) as tf.Tensor, -1);
    return tf.sum(tf.cast(tf.equal(predicted, labels), 'float32'));
  });
  const count = (await correct.data())[0] as number;
  correct.dispose();
  return count / (labels.shape[0] as number);
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? NaN : xs.reduce((s, x) => s + x, 0) / xs.length;
}

function median(xs: readonly number[]): number {
  if (xs.length === 0) {
    return NaN;
  }
  const sorted = xs.slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}
