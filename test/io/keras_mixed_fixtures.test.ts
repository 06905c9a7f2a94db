// The hand-made Keras-shaped mixed_float16 text models (see
// scripts/make-keras-mixed-fixtures.js and the fixtures README): every layer
// class of a typical mixed model (Embedding, LSTM, TimeDistributed, Add,
// BatchNormalization, GlobalAveragePooling1D) loads with its policy,
// predicts, fine-tunes with the loss-scaled optimizer of its training
// config, and saves back with every policy intact.
import * as fs from 'fs';
import * as path from 'path';

import * as tf from '@tensorflow/tfjs';

import * as mp from '../../src';
import {fileSystem} from '../../src/io/file_system';
import {inexactValues, useCpuBackend} from '../layers/layer_test_utils';
import {fixtureDir, fixtureVariant, setLayerDtypes} from './keras_fixtures';
import {makeTempDir} from './temp_dir';

useCpuBackend();

const FIXTURES = ['keras2.15-mixed-text', 'keras3.4-mixed-text'];
const MIXED_LAYERS = ['embedding', 'lstm', 'time_distributed', 'add', 'batch_normalization', 'global_average_pooling1d'];
const EXPECTED_POLICIES: Array<[string, string | undefined]> = [
  ['input_layer', undefined],
  ...MIXED_LAYERS.map((n): [string, string] => [n, 'mixed_float16']),
  ['dense', 'float32'],
];

const ids = () => tf.tensor2d([[1, 2, 3, 4, 5, 6], [0, 19, 7, 7, 3, 1], [9, 9, 9, 9, 9, 9], [4, 0, 4, 0, 4, 0]], undefined, 'int32');

function policiesOf(model: tf.LayersModel): Array<[string, string | undefined]> {
  return model.layers.map((l) => [l.name, (l as Partial<mp.layers.PolicyAware>).policy?.name]);
}

function bitsOf(t: tf.Tensor): number[] {
  return Array.from(new Uint32Array(new Float32Array(t.dataSync()).buffer));
}

function disposeModel(model: tf.LayersModel): void {
  const optimizer = model.optimizer;
  model.dispose();
  optimizer?.dispose();
}

let info: jest.SpyInstance;
beforeEach(() => {
  info = jest.spyOn(console, 'info').mockImplementation(() => undefined);
});
afterEach(() => info.mockRestore());

describe.each(FIXTURES)('%s (hand-made, mixed_float16)', (name) => {
  it('loads with every layer policy and compiles its loss-scaled Adam from the training config', async () => {
    const before = tf.memory().numTensors;
    const model = await mp.loadLayersModel(fixtureDir(name), {compile: true});
    expect(policiesOf(model)).toEqual(EXPECTED_POLICIES);
    const inner = (model.getLayer('time_distributed') as unknown as {layer: tf.layers.Layer}).layer;
    expect((inner as Partial<mp.layers.PolicyAware>).policy?.name).toBe('mixed_float16');
    // Variables stay float32 under mixed_float16.
    expect(model.weights.every((w) => w.dtype === 'float32')).toBe(true);
    const lso = model.optimizer as mp.LossScaleOptimizer;
    expect(mp.isLossScaleOptimizer(lso)).toBe(true);
    expect([lso.innerOptimizer.getClassName(), lso.lossScale, lso.dynamic]).toEqual(['Adam', 32768, true]);
    expect(model.loss).toBe('binaryCrossentropy');
    disposeModel(model);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('predicts: float16 values through the mixed layers, close to the float32 model', async () => {
    const before = tf.memory().numTensors;
    const model = await mp.loadLayersModel(fixtureDir(name));
    const reference = mp.applyPolicy(model, 'float32');
    for (const layer of MIXED_LAYERS) {
      expect([layer, mp.dtypeOf(model.getLayer(layer).output as tf.SymbolicTensor)]).toEqual([layer, 'float16']);
    }
    const x = ids();
    const pooled = tf.model({inputs: model.inputs, outputs: model.getLayer('global_average_pooling1d').output as tf.SymbolicTensor});
    const [h, y, y32] = [pooled.predict(x) as tf.Tensor, model.predict(x) as tf.Tensor, reference.predict(x) as tf.Tensor];
    expect(inexactValues(h.dataSync(), 'float16')).toEqual([]);
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(y, y32))).dataSync()[0]!);
    expect(diff).toBeLessThan(1e-2);
    expect(diff).toBeGreaterThan(0);
    tf.dispose([x, h, y, y32]);
    // pooled shares model's layers: disposing model disposes them.
    [model, reference].forEach((m) => m.dispose());
    expect(tf.memory().numTensors).toBe(before);
  });

  it('fine-tunes with model.fit (loss-scaled) and saves back with every policy; the saved model reloads bit-identical', async () => {
    const model = await mp.loadLayersModel(fixtureDir(name), {compile: true});
    const x = ids();
    const y = tf.tensor2d([[1], [0], [1], [0]]);
    const start = model.getWeights().map(bitsOf);
    const history = await model.fit(x, y, {epochs: 3, batchSize: 2, shuffle: false, verbose: 0});
    expect((history.history['loss'] as number[]).every(Number.isFinite)).toBe(true);
    expect(history.history['lossScale']).toHaveLength(3);
    expect(model.getWeights().map(bitsOf)).not.toEqual(start);
    expect(policiesOf(model)).toEqual(EXPECTED_POLICIES);

    const dir = makeTempDir();
    await model.save(fileSystem(dir));
    const saved = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
    const layers = saved.modelTopology.config.layers as Array<{name: string; config: {dtype: unknown; layer?: {config: {dtype: unknown}}}}>;
    const mixed = {class_name: 'Policy', config: {name: 'mixed_float16'}};
    expect(layers.map((l) => [l.name, l.config.dtype])).toEqual([
      ['input_layer', 'int32'],
      ...MIXED_LAYERS.map((n) => [n, mixed]),
      ['dense', 'float32'],
    ]);
    expect(layers.find((l) => l.name === 'time_distributed')!.config.layer!.config.dtype).toEqual(mixed);

    const loaded = await mp.loadLayersModel(dir);
    expect(policiesOf(loaded)).toEqual(EXPECTED_POLICIES);
    const [a, b] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
    expect(bitsOf(b)).toEqual(bitsOf(a));
    tf.dispose([x, y, a, b]);
    disposeModel(model);
    loaded.dispose();
  });
});

describe('the two Keras shapes of the same model', () => {
  it('predict the same bits', async () => {
    const [k2, k3] = await Promise.all(FIXTURES.map((n) => mp.loadLayersModel(fixtureDir(n))));
    const x = ids();
    const [a, b] = [k2!.predict(x) as tf.Tensor, k3!.predict(x) as tf.Tensor];
    expect(bitsOf(a)).toEqual(bitsOf(b));
    tf.dispose([x, a, b]);
    [k2!, k3!].forEach((m) => m.dispose());
  });
});

describe("TF 2.3-2.4's PolicyV1 '_infer'", () => {
  it("loads as the 'infer' policy", async () => {
    const dir = fixtureVariant('keras2.4-linear', (json) =>
      setLayerDtypes(json, 'Dense', {class_name: 'PolicyV1', config: {name: '_infer', loss_scale: null}}),
    );
    const model = await mp.loadLayersModel(dir);
    expect(policiesOf(model)).toEqual([
      ['dense_input', undefined],
      ['dense', 'infer'],
    ]);
    const x = tf.tensor2d([[10]]);
    const y = model.predict(x) as tf.Tensor;
    expect(y.dataSync()[0]).toBeCloseTo(18.980305, 4);
    tf.dispose([x, y]);
    model.dispose();
  });
});
