import * as tf from '@tensorflow/tfjs';
import * as fs from 'fs';
import * as path from 'path';

import * as mp from '../../src';
import {float16Bits} from '../../src/io/float16_bits';
import {encodeFloat16Weights, float16Weights} from '../../src/io/float16_weights';
import {savedWeightFile} from './saved_weight_file';
import {stockPredictBits} from './stock_tfjs';
import {makeTempDir, removeTempDirs} from './temp_dir';

// Quiet: no "running TensorFlow.js in Node.js" banner in the test output.
tf.env().set('IS_TEST', true);
beforeAll(() => tf.setBackend('cpu'));
afterAll(removeTempDirs);
afterEach(() => mp.setGlobalPolicy('float32'));

const bitsOf = (a: Float32Array): number[] => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

// binary16 by its definition, independently of the encoder.
function halfValue(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0x1f) return m === 0 ? sign * Infinity : NaN;
  return e === 0 ? sign * m * 2 ** -24 : sign * (1 + m / 1024) * 2 ** (e - 15);
}

function artifactsWith(specs: tf.io.WeightsManifestEntry[], data: ArrayBuffer): tf.io.ModelArtifacts {
  return {modelTopology: {class_name: 'Sequential', config: {name: 's', layers: []}}, format: 'layers-model', weightSpecs: specs, weightData: data};
}

function denseModel(seed: number): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.dense({inputShape: [5], units: 7, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({seed})}));
  model.add(tf.layers.dense({units: 3, kernelInitializer: tf.initializers.glorotUniform({seed: seed + 1}), biasInitializer: 'ones'}));
  return model;
}

// Every weight rounded to float16, so that the model is float16-exact.
function roundWeights(model: tf.LayersModel): void {
  const rounded = model.getWeights().map((w) => mp.cast(w, 'float16'));
  model.setWeights(rounded);
  tf.dispose(rounded);
}

describe('float16Bits', () => {
  it('gives back every binary16 pattern from its value (all 65,536; NaN as 0x7e00)', () => {
    const wrong: number[] = [];
    for (let h = 0; h < 0x10000; h++) {
      const v = halfValue(h);
      const expected = Number.isNaN(v) ? 0x7e00 : h;
      if (float16Bits(v) !== expected) wrong.push(h);
    }
    expect(wrong).toEqual([]);
  });

  it.each([
    [65519.99, 0x7bff],
    [65520, 0x7c00],
    [-1e9, 0xfc00],
    [2 ** -25, 0x0000],
    [2 ** -25 + 2 ** -40, 0x0001],
    [1 + 2 ** -11, 0x3c00],
    [1 + 3 * 2 ** -11, 0x3c02],
  ])('rounds %p to 0x%s', (v, bits) => {
    expect(float16Bits(v)).toBe(bits);
  });
});

describe('encodeFloat16Weights', () => {
  it('halves float32 weights, keeps int32 weights and their order, marks the specs as stock tfjs reads them', () => {
    const f = new Float32Array([1.5, -2, 65504, 2 ** -24, 0.1]);
    const ints = new Int32Array([7, -9]);
    const data = new Uint8Array(f.byteLength + ints.byteLength);
    data.set(new Uint8Array(f.buffer.slice(0, 12)), 0);
    data.set(new Uint8Array(ints.buffer), 12);
    data.set(new Uint8Array(f.buffer.slice(12)), 20);
    const specs: tf.io.WeightsManifestEntry[] = [
      {name: 'a', shape: [3], dtype: 'float32'},
      {name: 'i', shape: [2], dtype: 'int32'},
      {name: 'b', shape: [2], dtype: 'float32'},
    ];
    const {artifacts, info} = encodeFloat16Weights(artifactsWith(specs, data.buffer));
    expect(artifacts.weightSpecs).toEqual([
      {name: 'a', shape: [3], dtype: 'float32', quantization: {dtype: 'float16'}},
      {name: 'i', shape: [2], dtype: 'int32'},
      {name: 'b', shape: [2], dtype: 'float32', quantization: {dtype: 'float16'}},
    ]);
    expect(info).toEqual({encoded: ['a', 'b'], unchanged: ['i'], saturated: 0});
    const out = artifacts.weightData as ArrayBuffer;
    expect(out.byteLength).toBe(5 * 2 + 2 * 4);
    const view = new DataView(out);
    expect([0, 2, 4].map((o) => view.getUint16(o, true))).toEqual([0x3e00, 0xc000, 0x7bff]);
    expect([view.getInt32(6, true), view.getInt32(10, true)]).toEqual([7, -9]);
    expect([14, 16].map((o) => view.getUint16(o, true))).toEqual([0x0001, float16Bits(0.1)]);
    // Stock tfjs decodes it.
    const decoded = tf.io.decodeWeights(out, artifacts.weightSpecs!);
    expect(Array.from(decoded['a']!.dataSync())).toEqual([1.5, -2, 65504]);
    expect(Array.from(decoded['i']!.dataSync())).toEqual([7, -9]);
    expect(Array.from(decoded['b']!.dataSync())).toEqual([2 ** -24, mp.roundToFloat16(0.1)]);
    tf.dispose(Object.values(decoded));
  });

  it.each([
    [70000, `weight 'w' holds 70000, outside float16's range (largest finite 65504) (flat index 1)`],
    [-Infinity, `weight 'w' holds -Infinity, outside float16's range`],
    [NaN, `weight 'w' holds NaN, which float16 weights cannot hold (flat index 1)`],
  ])('refuses %p, naming the weight and the value', (bad, message) => {
    const data = new Float32Array([1, bad, 2]).buffer;
    expect(() => encodeFloat16Weights(artifactsWith([{name: 'w', shape: [3], dtype: 'float32'}], data))).toThrow(message);
  });

  it('saturates to ±65504 only when asked (NaN still refused)', () => {
    const specs: tf.io.WeightsManifestEntry[] = [{name: 'w', shape: [4], dtype: 'float32'}];
    const {artifacts, info} = encodeFloat16Weights(artifactsWith(specs, new Float32Array([70000, -Infinity, 65519, 1]).buffer), {saturate: true});
    expect(info.saturated).toBe(2);
    const decoded = tf.io.decodeWeights(artifacts.weightData!, artifacts.weightSpecs!);
    expect(Array.from(decoded['w']!.dataSync())).toEqual([65504, -65504, 65504, 1]);
    tf.dispose(Object.values(decoded));
    expect(() => encodeFloat16Weights(artifactsWith(specs, new Float32Array([NaN, 0, 0, 0]).buffer), {saturate: true})).toThrow('NaN');
  });

  it.each([
    [{dtype: 'bfloat16'}, `options.dtype 'bfloat16' is not supported: stock tfjs decodes only 'uint8', 'uint16' and 'float16'`],
    [{dtype: 'int8'}, `options.dtype must be 'float16'; received 'int8'.`],
    [{saturate: 'yes'}, `options.saturate must be true or false; received 'yes'.`],
  ])('refuses options %p', (options, message) => {
    expect(() => float16Weights(mp.io.fileSystem(makeTempDir()), options as mp.io.Float16WeightsOptions)).toThrow(message);
  });
});

describe('float16Weights on fileSystem', () => {
  it('writes half the weight bytes; stock tfjs (child process, package not loaded) and mp.loadLayersModel predict bit-identically', async () => {
    const model = denseModel(11);
    roundWeights(model);
    const plainDir = makeTempDir();
    const halfDir = makeTempDir();
    await model.save(mp.io.fileSystem(plainDir));
    await model.save(mp.io.float16Weights(mp.io.fileSystem(halfDir)));
    const plainBytes = fs.statSync(savedWeightFile(plainDir)).size;
    const halfBytes = fs.statSync(savedWeightFile(halfDir)).size;
    expect(plainBytes).toBe(4 * (5 * 7 + 7 + 7 * 3 + 3));
    expect(halfBytes / plainBytes).toBe(0.5);

    const values = Array.from({length: 4 * 5}, (_, i) => Math.sin(i) * 3);
    const x = tf.tensor(values, [4, 5]);
    const expected = model.predict(x) as tf.Tensor;
    const expectedBits = bitsOf(expected.dataSync() as Float32Array);
    const stock = stockPredictBits(halfDir, values, [4, 5]);
    expect(stock.bits).toEqual(expectedBits);
    expect(stock.weights).toEqual(model.getWeights().map((w) => bitsOf(w.dataSync() as Float32Array)));

    const loaded = await mp.loadLayersModel(halfDir);
    const y = loaded.predict(x) as tf.Tensor;
    expect(bitsOf(y.dataSync() as Float32Array)).toEqual(expectedBits);
    tf.dispose([x, expected, y]);
    loaded.dispose();
    model.dispose();
  });

  it('a model trained under mixed_float16 predicts bit-identically after export (its float32 master weights rounded)', async () => {
    mp.setGlobalPolicy('mixed_float16');
    const model = tf.sequential({
      layers: [
        mp.layers.dense({inputShape: [6], units: 8, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({seed: 3})}),
        mp.layers.dense({units: 2, kernelInitializer: tf.initializers.glorotUniform({seed: 4})}),
      ],
    });
    mp.setGlobalPolicy('float32');
    // Plain SGD: loss scaling does not matter to what this test checks.
    model.compile({optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError', autoScaleLoss: false});
    const xs = tf.tensor(Array.from({length: 32 * 6}, (_, i) => Math.cos(i * 0.7)), [32, 6]);
    const ys = tf.tensor(Array.from({length: 32 * 2}, (_, i) => Math.sin(i * 0.3)), [32, 2]);
    await model.fit(xs, ys, {epochs: 3, batchSize: 8, verbose: 0, shuffle: false});
    // The master weights are float32, not float16-exact, after training.
    const master = model.getWeights().map((w) => w.dataSync() as Float32Array);
    expect(master.some((w) => w.some((v) => mp.roundToFloat16(v) !== v))).toBe(true);

    const dir = makeTempDir();
    await model.save(mp.io.float16Weights(mp.io.fileSystem(dir)));
    const loaded = await mp.loadLayersModel(dir);
    expect(loaded.getWeights().map((w) => bitsOf(w.dataSync() as Float32Array))).toEqual(
      master.map((w) => bitsOf(Float32Array.from(w, (v) => mp.roundToFloat16(v)))),
    );
    const expected = model.predict(xs) as tf.Tensor;
    const y = loaded.predict(xs) as tf.Tensor;
    expect(bitsOf(y.dataSync() as Float32Array)).toEqual(bitsOf(expected.dataSync() as Float32Array));
    tf.dispose([xs, ys, expected, y]);
    loaded.dispose();
    model.dispose();
  });

  it('a refused save writes nothing: no directory, no file, an existing model left as it was', async () => {
    const model = denseModel(5);
    const big = model.getWeights().map((w, i) => (i === 2 ? tf.fill(w.shape, 1e6) : w.clone()));
    model.setWeights(big);
    tf.dispose(big);
    const parent = makeTempDir();
    const fresh = path.join(parent, 'fresh');
    await expect(model.save(mp.io.float16Weights(mp.io.fileSystem(fresh)))).rejects.toThrow(
      `float16Weights: weight '${(model.getWeights()[2] as tf.Variable).name}' holds 1000000, outside float16's range`,
    );
    expect(fs.existsSync(fresh)).toBe(false);

    const existing = makeTempDir();
    const other = denseModel(8);
    await other.save(mp.io.fileSystem(existing));
    const before = fs.readdirSync(existing).map((f) => [f, fs.readFileSync(path.join(existing, f)).toString('base64')]);
    await expect(model.save(mp.io.float16Weights(mp.io.fileSystem(existing)))).rejects.toThrow('Nothing was written.');
    expect(fs.readdirSync(existing).map((f) => [f, fs.readFileSync(path.join(existing, f)).toString('base64')])).toEqual(before);

    // With saturate the same model saves, and loads.
    const saturated = makeTempDir();
    await model.save(mp.io.float16Weights(mp.io.fileSystem(saturated), {saturate: true}));
    const loaded = await mp.loadLayersModel(saturated);
    expect(Array.from(loaded.getWeights()[2]!.dataSync()).every((v) => v === 65504)).toBe(true);
    loaded.dispose();
    model.dispose();
    other.dispose();
  });

  it('leaks no tensor', async () => {
    const model = denseModel(2);
    const dir = makeTempDir();
    const before = tf.memory().numTensors;
    await model.save(mp.io.float16Weights(mp.io.fileSystem(dir)));
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
