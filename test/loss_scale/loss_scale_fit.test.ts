import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import {LossScaleOptimizer} from '../../src/loss_scale/loss_scale_optimizer';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function makeModel(optimizer: tf.Optimizer): tf.Sequential {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({units: 4, inputShape: [3], activation: 'relu', kernelInitializer: 'glorotUniform'}),
      tf.layers.dense({units: 1}),
    ],
  });
  model.compile({optimizer, loss: 'meanSquaredError'});
  return model;
}

function data(n: number, nanRows: number[] = []) {
  const x = Array.from({length: n * 3}, (_, i) => Math.sin(i + 1));
  const y = Array.from({length: n}, (_, i) => (nanRows.includes(i) ? NaN : Math.cos(i)));
  return {xs: tf.tensor2d(x, [n, 3]), ys: tf.tensor2d(y, [n, 1])};
}

describe('model.fit with a LossScaleOptimizer', () => {
  test('callbacks see logs.lossScale each batch and epoch; history keeps it per epoch', async () => {
    const lso = new LossScaleOptimizer(tf.train.adam(0.01), {initialScale: 8, dynamicGrowthSteps: 2});
    const model = makeModel(lso);
    const {xs, ys} = data(8);
    const batchScales: unknown[] = [];
    const epochScales: unknown[] = [];
    const before = tf.memory().numTensors;
    const history = await model.fit(xs, ys, {
      epochs: 2,
      batchSize: 2,
      shuffle: false,
      verbose: 0,
      callbacks: {
        onBatchEnd: async (_b, logs) => void batchScales.push(logs?.['lossScale']),
        onEpochEnd: async (_e, logs) => void epochScales.push(logs?.['lossScale']),
      },
    });
    expect(batchScales).toEqual([8, 16, 16, 32, 32, 64, 64, 128]);
    expect(epochScales).toEqual([32, 128]);
    expect(history.history['lossScale']).toEqual([32, 128]);
    expect(history.history['loss']).toHaveLength(2);
    expect(lso.iterations).toBe(8);
    // Only Adam's slots remain: m and v for each of the 4 weights.
    expect(tf.memory().numTensors).toBe(before + 8);
    model.dispose();
    tf.dispose([xs, ys]);
  });

  test('other optimizers get no lossScale entry', async () => {
    const model = makeModel(tf.train.sgd(0.1));
    const {xs, ys} = data(4);
    const keys: string[][] = [];
    const history = await model.fit(xs, ys, {
      batchSize: 2,
      verbose: 0,
      callbacks: {onBatchEnd: async (_b, logs) => void keys.push(Object.keys(logs ?? {}))},
    });
    expect(keys.flat()).not.toContain('lossScale');
    expect(history.history['lossScale']).toBeUndefined();
    model.dispose();
    tf.dispose([xs, ys]);
  });

  test.each(['cpu', 'wasm'])('%s: a batch with a NaN target is skipped: weights unchanged, scale backs off, training continues', async (backend) => {
    await tf.setBackend(backend);
    const lso = new LossScaleOptimizer(tf.train.sgd(0.05), {initialScale: 1024, dynamicGrowthSteps: 100});
    const model = makeModel(lso);
    // Batches of 2: batch 1 holds row 3, which is NaN.
    const {xs, ys} = data(8, [3]);
    const weightsAfter: number[][] = [];
    const scales: number[] = [];
    await model.fit(xs, ys, {
      batchSize: 2,
      shuffle: false,
      verbose: 0,
      callbacks: {
        onBatchEnd: async (_b, logs) => {
          weightsAfter.push(model.getWeights().flatMap((w) => Array.from(w.dataSync())));
          scales.push(logs?.['lossScale'] as number);
        },
      },
    });
    expect(scales).toEqual([1024, 512, 512, 512]);
    expect(weightsAfter[1]).toEqual(weightsAfter[0]);
    expect(weightsAfter[2]).not.toEqual(weightsAfter[1]);
    expect(weightsAfter.flat().every(Number.isFinite)).toBe(true);
    expect([lso.skippedSteps, lso.iterations]).toEqual([1, 3]);
    model.dispose();
    tf.dispose([xs, ys]);
    await tf.setBackend('cpu');
  });
});
