import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

import * as mp from '../../src';

const VOCAB = 12;
const LENGTH = 6;
const DIM = 4;
// Ids 10 and 11 never occur: their rows must not move.
const IDS = Array.from({length: 16 * LENGTH}, (_, i) => (i * 7 + Math.floor(i / 5)) % 10);
const TARGETS = Array.from({length: 16 * LENGTH * DIM}, (_, i) => Math.sin(i));

interface Variant {
  name: string;
  /** Layers after the Embedding. */
  head: () => tf.layers.Layer[];
  policy: 'float32' | 'mixed_float16';
  /** True when every op of the step is elementwise or the Embedding's: wasm and cpu then agree bit for bit. */
  exact: boolean;
}

const VARIANTS: Variant[] = [
  {name: 'Embedding alone, float32', head: () => [], policy: 'float32', exact: true},
  {name: 'Embedding alone, mixed_float16 (loss-scaled)', head: () => [], policy: 'mixed_float16', exact: true},
  {name: 'Embedding + LSTM + Dense, float32', head: () => [tf.layers.lstm({units: 3, returnSequences: true}), tf.layers.dense({units: DIM})], policy: 'float32', exact: false},
];

function bits(values: Float32Array): number[] {
  return Array.from(new Uint32Array(values.buffer, values.byteOffset, values.length));
}

/** Trains a freshly built model on `backend` with model.fit and returns the weights before and after. */
async function train(backend: string, v: Variant): Promise<{before: Float32Array[]; after: Float32Array[]}> {
  await tf.setBackend(backend);
  const stock = tf.sequential({
    layers: [
      tf.layers.embedding({inputDim: VOCAB, outputDim: DIM, inputLength: LENGTH, embeddingsInitializer: tf.initializers.randomUniform({minval: -1, maxval: 1, seed: 1})}),
      ...v.head(),
    ],
  });
  // Same weights on both backends (seeded initializers of stock layers only).
  const initial = stock.getWeights().map((w, i) => tf.randomUniform(w.shape, -0.5, 0.5, 'float32', i + 10));
  stock.setWeights(initial);
  tf.dispose(initial);
  const model = v.policy === 'float32' ? stock : mp.applyPolicy(stock, v.policy);
  if (model !== stock) stock.dispose();
  const optimizer = tf.train.sgd(0.5);
  model.compile({optimizer, loss: 'meanSquaredError'});
  const before = model.getWeights().map((w) => w.dataSync() as Float32Array);
  const xs = tf.tensor2d(IDS, [16, LENGTH], 'int32');
  const ys = tf.tensor3d(TARGETS, [16, LENGTH, DIM]);
  await model.fit(xs, ys, {epochs: 2, batchSize: 8, shuffle: false, verbose: 0});
  const after = model.getWeights().map((w) => w.dataSync() as Float32Array);
  tf.dispose([xs, ys]);
  model.dispose();
  model.optimizer.dispose();
  return {before, after};
}

beforeAll(async () => {
  await tf.setBackend('wasm');
});

test.each(VARIANTS)('$name trains on wasm with model.fit as on cpu, and leaks nothing', async (v) => {
  const info = jest.spyOn(console, 'info').mockImplementation(() => undefined); // compile's first LossScaleOptimizer note
  const before = tf.memory().numTensors;
  let wasm, cpu;
  try {
    wasm = await train('wasm', v);
    cpu = await train('cpu', v);
  } finally {
    info.mockRestore();
  }
  expect(tf.memory().numTensors).toBe(before);
  expect(wasm.before.map(bits)).toEqual(cpu.before.map(bits));
  const [table, tableBefore] = [wasm.after[0]!, wasm.before[0]!];
  // The used rows moved, the unused ones (ids 10, 11) did not.
  const moved = Array.from({length: VOCAB}, (_, row) =>
    bits(table.subarray(row * DIM, (row + 1) * DIM)).join() !== bits(tableBefore.subarray(row * DIM, (row + 1) * DIM)).join());
  expect(moved).toEqual(Array.from({length: VOCAB}, (_, row) => row < 10));
  if (v.exact) {
    expect(wasm.after.map(bits)).toEqual(cpu.after.map(bits));
  } else {
    // wasm's matmuls round differently from cpu's: equal within float32 noise.
    wasm.after.forEach((w, i) => w.forEach((x, j) => expect(Math.abs(x - cpu.after[i]![j]!)).toBeLessThan(1e-5)));
  }
});

test('the Embedding gradient on wasm equals cpu bit for bit (tf.variableGrads)', async () => {
  const grads = async (backend: string) => {
    await tf.setBackend(backend);
    const initial = tf.randomUniform([VOCAB, DIM], -1, 1, 'float32', 3);
    const table = tf.variable(initial);
    initial.dispose();
    const ids = tf.tensor2d(IDS, [16, LENGTH], 'int32');
    const weights = tf.tensor3d(TARGETS, [16, LENGTH, DIM]);
    const {value, grads} = tf.variableGrads(() => tf.sum(tf.mul(tf.gather(table, ids), weights)), [table]);
    const g = grads[table.name]!.dataSync() as Float32Array;
    tf.dispose([table, ids, weights, value, grads[table.name]!]);
    return bits(g);
  };
  const before = tf.memory().numTensors;
  const wasm = await grads('wasm');
  const cpu = await grads('cpu');
  expect(wasm).toEqual(cpu);
  expect(wasm.slice(10 * DIM)).toEqual(Array(2 * DIM).fill(0));
  expect(tf.memory().numTensors).toBe(before);
});
