import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

import '../../src/conv_backprop/register_conv_backprop_kernels';
import {restoreStockConvBackpropKernels, registerConvBackpropKernels} from '../../src/conv_backprop/conv_backprop_registry';
import {seeded} from './reference';

const BATCH = 8;
const STEPS = 3;

/** Two 3x3 convolutions, pooling, dense: the shape of the bench's convnet, small. */
function convnet(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({inputShape: [10, 10, 2], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu'}));
  model.add(tf.layers.conv2d({filters: 6, kernelSize: 3, strides: 1, padding: 'valid', activation: 'relu'}));
  model.add(tf.layers.maxPooling2d({poolSize: 2}));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({units: 3, activation: 'softmax'}));
  return model;
}

function data(): {x: tf.Tensor, y: tf.Tensor} {
  const x = tf.tensor(seeded(BATCH * 10 * 10 * 2, 21), [BATCH, 10, 10, 2]);
  const labels = Array.from({length: BATCH}, (_, i) => i % 3);
  return {x, y: tf.tidy(() => tf.oneHot(labels, 3).toFloat())};
}

/** Trains a fresh convnet from `initial` weights for STEPS SGD steps on `backendName`. */
async function train(backendName: string, initial: Float32Array[]): Promise<Float32Array[]> {
  await tf.setBackend(backendName);
  const model = convnet();
  const start = initial.map((v, i) => tf.tensor(v, model.getWeights()[i]!.shape));
  model.setWeights(start);
  tf.dispose(start);
  model.compile({optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy'});
  const {x, y} = data();
  for (let i = 0; i < STEPS; ++i) await model.trainOnBatch(x, y);
  const weights = model.getWeights().map((w) => w.dataSync() as Float32Array);
  tf.dispose([x, y]);
  model.dispose();
  model.optimizer.dispose();
  return weights;
}

function maxAbsDiff(a: Float32Array[], b: Float32Array[]): number {
  return Math.max(...a.map((w, i) => Math.max(...Array.from(w, (v, j) => Math.abs(v - b[i]![j]!)))));
}

test('a convnet trained on wasm matches the same training on cpu with the stock kernels', async () => {
  await tf.setBackend('cpu');
  const init = convnet();
  const initial = init.getWeights().map((w) => Float32Array.from(w.dataSync()));
  init.dispose();
  const before = tf.memory().numTensors;

  restoreStockConvBackpropKernels();
  let reference: Float32Array[];
  try {
    reference = await train('cpu', initial);
  } finally {
    registerConvBackpropKernels();
  }
  const onWasm = await train('wasm', initial);
  const onCpu = await train('cpu', initial);

  // Bound: each weight is about 0.5 in size, so one float32 ulp is 6e-8.
  // Every gradient element is a sum of at most a few thousand products, whose
  // float32 accumulation error (n * u * sum|terms|, see reference.ts) times
  // the learning rate stays below 1e-7 per step here; over 3 steps, with the
  // forward passes differing in the same way, 1e-6 (about 16 ulps) covers it.
  // A wrong gradient element instead moves a weight by lr * |g|, about 1e-2:
  // `moved` checks that training actually changed the weights that much.
  const moved = maxAbsDiff(reference, initial);
  expect(moved).toBeGreaterThan(1e-2);
  expect(maxAbsDiff(onWasm, reference)).toBeLessThan(1e-6);
  expect(maxAbsDiff(onCpu, reference)).toBeLessThan(1e-6);
  expect(tf.memory().numTensors).toBe(before);
});

test('model.fit trains a convnet on wasm after importing the registration module', async () => {
  await tf.setBackend('wasm');
  const before = tf.memory().numTensors;
  const dataBefore = tf.backend().numDataIds();
  const model = tf.sequential();
  model.add(tf.layers.conv2d({inputShape: [10, 10, 2], filters: 4, kernelSize: 3, activation: 'relu'}));
  model.add(tf.layers.depthwiseConv2d({kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same'}));
  model.add(tf.layers.maxPooling2d({poolSize: 2}));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({units: 3, activation: 'softmax'}));
  model.compile({optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy'});
  const {x, y} = data();
  const history = await model.fit(x, y, {epochs: 5, batchSize: 4, verbose: 0});
  const losses = history.history['loss'] as number[];
  expect(losses).toHaveLength(5);
  expect(losses[4]!).toBeLessThan(losses[0]!);
  tf.dispose([x, y]);
  model.dispose();
  // The Adam slots live until the optimizer is disposed; nothing else stays.
  model.optimizer.dispose();
  expect(tf.memory().numTensors).toBe(before);
  expect(tf.backend().numDataIds()).toBe(dataBefore);
});
