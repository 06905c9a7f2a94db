// Training and saving in the page, on the page's backend: a mixed_float16
// model with a dynamic LossScaleOptimizer trained by fit, and a round trip
// through the browser's own model storage (indexeddb://, localstorage://).
// Reads use `await data()` (on webgpu a `dataSync()` can break later reads).
import * as tf from '@tensorflow/tfjs';

import * as mp from '../../../src';
import {data} from '../../layers/layer_test_utils';
import {definePageTest} from '../harness/page_api';

/** A small mixed_float16 convnet with its softmax in float32, seeded weights. */
function buildModel(): tf.LayersModel {
  let seed = 42;
  const init = () => tf.initializers.glorotUniform({seed: seed++});
  return mp.withPolicy('mixed_float16', () =>
    tf.sequential({
      layers: [
        mp.layers.conv2d({inputShape: [6, 6, 1], filters: 3, kernelSize: 3, activation: 'relu', kernelInitializer: init()}),
        mp.layers.flatten(),
        mp.layers.dense({units: 8, activation: 'relu', kernelInitializer: init()}),
        mp.layers.dense({units: 4, kernelInitializer: init()}),
        mp.layers.activation({activation: 'softmax', dtype: 'float32'}),
      ],
    }),
  );
}

function trainingData(): {x: tf.Tensor; y: tf.Tensor} {
  const x = data([16, 6, 6, 1], 3);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 2, 3, 1, 2, 3, 0, 2, 3, 0, 1, 3, 0, 1, 2], 'int32'), 4));
  return {x, y};
}

async function bitsOf(tensors: readonly tf.Tensor[]): Promise<number[][]> {
  return Promise.all(tensors.map(async (t) => Array.from(new Uint32Array(((await t.data()) as Float32Array).slice().buffer))));
}

function sameArrays(a: number[][], b: number[][]): boolean {
  return a.length === b.length && a.every((v, i) => v.length === (b[i] as number[]).length && v.every((e, j) => e === (b[i] as number[])[j]));
}

export interface LossScaleTrainingArgs {
  initialScale: number;
  epochs: number;
}

export interface LossScaleTrainingResult {
  /** Loss per epoch (from fit's history). */
  losses: number[];
  lossScale: number;
  skippedSteps: number;
  steps: number;
  /** tf.memory().numTensors at the end of each epoch. */
  tensorsPerEpoch: number[];
  weightDtypes: string[];
  /** Weight entries that are NaN or infinite. */
  nonFiniteWeights: number;
  /** Weight tensors whose values changed. */
  changedWeights: number;
  weightCount: number;
  /** The hidden Dense's output dtype (float16 under mixed_float16). */
  hiddenDtype: string;
}

definePageTest('lossScaleTraining', async ({initialScale, epochs}: LossScaleTrainingArgs): Promise<LossScaleTrainingResult> => {
  const model = buildModel();
  const {x, y} = trainingData();
  const optimizer = new mp.LossScaleOptimizer(tf.train.adam(0.01), {initialScale});
  try {
    model.compile({optimizer, loss: 'categoricalCrossentropy'});
    const before = await bitsOf(model.getWeights());
    const tensorsPerEpoch: number[] = [];
    const history = await model.fit(x, y, {
      epochs,
      batchSize: 8,
      shuffle: false,
      verbose: 0,
      callbacks: {onEpochEnd: async () => void tensorsPerEpoch.push(tf.memory().numTensors)},
    });
    const weights = model.getWeights();
    const after = await Promise.all(weights.map(async (w) => (await w.data()) as Float32Array));
    const afterBits = await bitsOf(weights);
    // conv2d, flatten, then the hidden Dense.
    const h = tf.tidy(() => model.layers.slice(0, 3).reduce((a, layer) => layer.apply(a) as tf.Tensor, x));
    const hiddenDtype = mp.dtypeOf(h);
    h.dispose();
    return {
      losses: history.history['loss'] as number[],
      lossScale: optimizer.lossScale,
      skippedSteps: optimizer.skippedSteps,
      steps: optimizer.iterations,
      tensorsPerEpoch,
      weightDtypes: weights.map((w) => w.dtype),
      nonFiniteWeights: after.reduce((n, w) => n + w.filter((v) => !Number.isFinite(v)).length, 0),
      changedWeights: afterBits.filter((w, i) => !sameArrays([w], [before[i] as number[]])).length,
      weightCount: weights.length,
      hiddenDtype,
    };
  } finally {
    tf.dispose([x, y]);
    model.dispose();
    optimizer.dispose();
  }
});

export interface BrowserSaveLoadArgs {
  /** e.g. 'indexeddb://mp-test' or 'localstorage://mp-test'. */
  url: string;
  /** Train with a LossScaleOptimizer around Adam (else Adam alone). */
  lossScaling: boolean;
}

export interface BrowserSaveLoadResult {
  /** Live tensors that model.save(url, {includeOptimizer: true}) left behind. */
  saveNewTensors: number;
  /** What tf.io.listModels shows for the url after saving (and after removing). */
  listedAfterSave: boolean;
  listedAfterRemove: boolean;
  policies: string[];
  loadedPolicies: string[];
  sameWeightBits: boolean;
  samePredictionBits: boolean;
  /** The stock loader (with the package imported) predicts the same bits too. */
  stockLoaderSamePredictionBits: boolean;
  optimizerClass: string;
  /** null without loss scaling. */
  lossScale: number | null;
  loadedLossScale: number | null;
  sameOptimizerWeightBits: boolean;
  optimizerWeightCount: number;
}

function lossScaleOf(optimizer: tf.Optimizer): number | null {
  return optimizer instanceof mp.LossScaleOptimizer ? optimizer.lossScale : null;
}

function policiesOf(model: tf.LayersModel): string[] {
  return model.layers.map((l) => (l as Partial<mp.layers.PolicyAware>).policy?.name ?? '-');
}

definePageTest('browserSaveLoad', async ({url, lossScaling}: BrowserSaveLoadArgs): Promise<BrowserSaveLoadResult> => {
  const model = buildModel();
  const {x, y} = trainingData();
  // An initial scale that overflows at first: the saved scale is not the default.
  const optimizer = lossScaling ? new mp.LossScaleOptimizer(tf.train.adam(0.01), {initialScale: 2 ** 20}) : tf.train.adam(0.01);
  const loaded: tf.LayersModel[] = [];
  const tensors: tf.Tensor[] = [x, y];
  try {
    // The optimizer is chosen above: no automatic loss scaling (on webgpu the
    // LossScaleOptimizer's synchronous reads break the device, see the test).
    model.compile({optimizer, loss: 'categoricalCrossentropy', autoScaleLoss: false});
    await model.fit(x, y, {epochs: 2, batchSize: 8, shuffle: false, verbose: 0});
    // The optimizer's state variables exist by now: what save adds is only what save leaks.
    tensors.push(...(await optimizer.getWeights()).map((w) => w.tensor).filter((t) => !(t instanceof tf.Variable)));
    const beforeSave = tf.memory().numTensors;
    await model.save(url, {includeOptimizer: true});
    const saveNewTensors = tf.memory().numTensors - beforeSave;
    const listedAfterSave = url in (await tf.io.listModels());
    const reloaded = await mp.loadLayersModel(url);
    loaded.push(reloaded);
    const stock = await tf.loadLayersModel(url);
    loaded.push(stock);
    const [p, q, r] = [model.predict(x), reloaded.predict(x), stock.predict(x)] as tf.Tensor[];
    tensors.push(p as tf.Tensor, q as tf.Tensor, r as tf.Tensor);
    const [pb, qb, rb] = await Promise.all([p, q, r].map((t) => bitsOf([t as tf.Tensor])));
    const loadedOptimizer = reloaded.optimizer;
    const optimizerWeights = await optimizer.getWeights();
    const loadedOptimizerWeights = await loadedOptimizer.getWeights();
    const sameOptimizerWeightBits = sameArrays(
      await bitsOf(optimizerWeights.map((w) => w.tensor)),
      await bitsOf(loadedOptimizerWeights.map((w) => w.tensor)),
    ) && optimizerWeights.every((w, i) => w.name === loadedOptimizerWeights[i]?.name);
    // getWeights gives the variables themselves and a fresh iterations scalar.
    tensors.push(...[...optimizerWeights, ...loadedOptimizerWeights].map((w) => w.tensor).filter((t) => !(t instanceof tf.Variable)));
    await tf.io.removeModel(url);
    return {
      saveNewTensors,
      listedAfterSave,
      listedAfterRemove: url in (await tf.io.listModels()),
      policies: policiesOf(model),
      loadedPolicies: policiesOf(reloaded),
      sameWeightBits: sameArrays(await bitsOf(model.getWeights()), await bitsOf(reloaded.getWeights())),
      samePredictionBits: sameArrays(pb as number[][], qb as number[][]),
      stockLoaderSamePredictionBits: sameArrays(pb as number[][], rb as number[][]),
      optimizerClass: (loadedOptimizer.constructor as unknown as {className: string}).className,
      lossScale: lossScaleOf(optimizer),
      loadedLossScale: lossScaleOf(loadedOptimizer),
      sameOptimizerWeightBits,
      optimizerWeightCount: optimizerWeights.length,
    };
  } finally {
    tf.dispose(tensors);
    model.dispose();
    optimizer.dispose();
    for (const m of loaded) {
      // A loaded model does not own the optimizer it built from the saved config.
      m.optimizer?.dispose();
      m.dispose();
    }
  }
});
