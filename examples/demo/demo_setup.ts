// What the console demo (examples/train_mnist.ts) and the web page
// (examples/web/) share before training: the seeded choice of training
// images, the experiments, and the tensors every run of an experiment uses.

import * as tf from '@tensorflow/tfjs';

import {CLASSES, MnistSplit} from './mnist_idx';
import {ModelKind, buildModel} from './models';
import {seededPermutation} from './shuffle';
import {SharedSetup} from './train_run';

/** Seeds the choice and order of training images (arXiv 1710.03740). */
export const SEED = 20171003;
/** Size of the fixed batch whose activation gradients are measured. */
export const SAMPLE_BATCH = 128;
/** tfjs's and Keras's default Adam epsilon. */
export const ADAM_EPSILON = 1e-7;

/**
 * Indices of the `trainCount` training images, in training order: the same
 * seeded subset and order in Node and in the browser.
 *
 * @example
 * const order = trainingOrder(60000, 512);
 */
export function trainingOrder(available: number, trainCount: number): number[] {
  return seededPermutation(available, SEED).slice(0, trainCount);
}

/** One experiment: the three runs with the loss multiplied by `multiplier`. */
export interface DemoExperiment {
  /** e.g. 'A: MNIST as is'; the part before ':' names it. */
  readonly title: string;
  readonly multiplier: number;
  readonly intro: string;
}

/**
 * Experiment A (the loss as it is) and, unless `smallLossExponent` is null,
 * experiment B (loss x 2^-k).
 *
 * @example
 * demoExperiments(14).map((e) => e.multiplier); // [1, 2 ** -14]
 */
export function demoExperiments(smallLossExponent: number | null): DemoExperiment[] {
  const experiments: DemoExperiment[] = [
    {title: 'A: MNIST as is', multiplier: 1, intro: 'loss = mean cross-entropy over the batch'},
  ];
  if (smallLossExponent !== null) {
    const k = smallLossExponent;
    experiments.push({
      title: `B: small gradients (loss x 2^-${k})`,
      multiplier: 2 ** -k,
      intro:
        `loss = mean cross-entropy x 2^-${k}, as a loss averaged over ${2 ** k} times more elements ` +
        `(per-pixel, per-token) would be; Adam's epsilon x 2^-${k}, so float32 training is unchanged`,
    });
  }
  return experiments;
}

/** The tensors all runs share; release them with disposeDemoTensors. */
export type DemoTensors = Pick<
  SharedSetup,
  'kind' | 'xTrain' | 'yTrain' | 'xTest' | 'testLabels' | 'xSample' | 'ySample' | 'initialWeights'
>;

/**
 * Builds the shared tensors on the current backend: data shaped for `kind`,
 * the sample batch (the first SAMPLE_BATCH training images) and the seeded
 * initial weights.
 *
 * @example
 * const tensors = demoTensors('convnet', train, test);
 */
export function demoTensors(kind: ModelKind, train: MnistSplit, test: MnistSplit): DemoTensors {
  const init = buildModel(kind, 'float32');
  const inputShape = init.inputShape;
  const initialWeights = init.model.getWeights().map((w) => w.clone());
  init.model.dispose();
  const data = tf.tidy(() => ({
    xTrain: tf.tensor(train.images, [train.count, ...inputShape]),
    yTrain: tf.oneHot(tf.tensor1d(train.labels, 'int32'), CLASSES).toFloat(),
    xTest: tf.tensor(test.images, [test.count, ...inputShape]),
    testLabels: tf.tensor1d(test.labels, 'int32') as tf.Tensor1D,
  }));
  const sampleCount = Math.min(SAMPLE_BATCH, train.count);
  return {
    kind,
    ...data,
    xSample: data.xTrain.slice(0, sampleCount),
    ySample: data.yTrain.slice(0, sampleCount),
    initialWeights,
  };
}

/** Disposes every tensor of `tensors`. */
export function disposeDemoTensors(tensors: DemoTensors): void {
  const {xTrain, yTrain, xTest, testLabels, xSample, ySample, initialWeights} = tensors;
  tf.dispose([xTrain, yTrain, xTest, testLabels, xSample, ySample, ...initialWeights]);
}

/** Training hyper-parameters, the same for every run. */
export interface TrainingOptions {
  readonly batchSize: number;
  readonly epochs: number;
  readonly learningRate: number;
}

/**
 * The SharedSetup of `experiment`: Adam's epsilon scaled with the loss
 * multiplier, so float32 training is the same computation in A and B.
 */
export function experimentSetup(
  tensors: DemoTensors,
  experiment: DemoExperiment,
  training: TrainingOptions,
): SharedSetup {
  return {
    ...tensors,
    ...training,
    lossMultiplier: experiment.multiplier,
    adamEpsilon: ADAM_EPSILON * experiment.multiplier,
  };
}
