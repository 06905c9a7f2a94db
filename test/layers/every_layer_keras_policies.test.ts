// A model whose every layer carries a Keras policy (Keras 2 `Policy` and
// Keras 3 `DTypePolicy` shapes) loads with each layer's policy, predicts bit
// for bit, and saves back with every layer's dtype written.
import * as tf from '@tensorflow/tfjs';
import * as fs from 'fs';
import * as path from 'path';

import * as layers from '../../layers';
import {fileSystem} from '../../src/io/file_system';
import {loadLayersModel} from '../../src/io/load_layers_model';
import {toKeras3Form} from '../io/keras_fixtures';
import {makeTempDir, removeTempDirs} from '../io/temp_dir';
import {bits, useCpuBackend} from './layer_test_utils';

useCpuBackend();
afterAll(removeTempDirs);

type Json = Record<string, any>;

function build(): tf.LayersModel {
  const ids = tf.input({shape: [4], name: 'ids'});
  const x = tf.input({shape: [4, 3], name: 'x'});
  const p = {dtype: 'mixed_float16' as const};
  const emb = layers.embedding({inputDim: 10, outputDim: 3, name: 'emb', ...p}).apply(ids) as tf.SymbolicTensor;
  const seq = layers.lstm({units: 3, returnSequences: true, recurrentActivation: 'sigmoid', name: 'lstm', ...p}).apply(x) as tf.SymbolicTensor;
  let h = layers.add({name: 'add', ...p}).apply([emb, seq]) as tf.SymbolicTensor;
  h = layers.timeDistributed({layer: layers.dense({units: 3, ...p}), name: 'td', ...p}).apply(h) as tf.SymbolicTensor;
  h = layers.batchNormalization({name: 'bn', ...p}).apply(h) as tf.SymbolicTensor;
  h = layers.layerNormalization({name: 'ln', ...p}).apply(h) as tf.SymbolicTensor;
  h = layers.dropout({rate: 0.2, name: 'drop', ...p}).apply(h) as tf.SymbolicTensor;
  h = layers.globalAveragePooling1d({name: 'gap', ...p}).apply(h) as tf.SymbolicTensor;
  const out = layers.dense({units: 2, name: 'out', ...p}).apply(h) as tf.SymbolicTensor;
  return tf.model({inputs: [ids, x], outputs: out});
}

const policies = (m: tf.LayersModel): string[][] => m.layers.map((l) => [l.name, (l as {policy?: {name: string}}).policy?.name ?? l.getClassName()]);
const layerDtypes = (json: Json): unknown[][] => (json['modelTopology']['config']['layers'] as Json[]).map((l) => [l['name'], l['config']['dtype']]);

describe('every layer carrying a Keras policy', () => {
  const inputs = (): tf.Tensor[] => [tf.tensor([[1, 9, 0, 3], [2, 2, 7, 5]]), tf.randomUniform([2, 4, 3], -1, 1, 'float32', 4)];

  const FORMS: Array<[string, (json: Json) => void]> = [
    ['Keras 2 (Policy objects, as this package writes)', () => undefined],
    ['Keras 3 (DTypePolicy objects, batch_shape, args/kwargs nodes)', toKeras3Form],
  ];
  it.each(FORMS)('%s: loads every policy, predicts bit for bit, saves every dtype back', async (_form, rewrite) => {
    const start = tf.memory().numTensors;
    const model = build();
    const dir = makeTempDir();
    await model.save(fileSystem(dir));
    const file = path.join(dir, 'model.json');
    const json = JSON.parse(fs.readFileSync(file, 'utf8')) as Json;
    rewrite(json);
    fs.writeFileSync(file, JSON.stringify(json));
    const loaded = await loadLayersModel(dir);
    expect(policies(loaded)).toEqual(policies(model));
    expect(policies(loaded).filter(([, p]) => p === 'mixed_float16')).toHaveLength(9);
    const xs = inputs();
    const [a, b] = [model.predict(xs) as tf.Tensor, loaded.predict(xs) as tf.Tensor];
    expect(bits(b)).toEqual(bits(a));
    const again = makeTempDir();
    await loaded.save(fileSystem(again));
    const saved = JSON.parse(fs.readFileSync(path.join(again, 'model.json'), 'utf8')) as Json;
    const policy = {class_name: 'Policy', config: {name: 'mixed_float16'}};
    expect(layerDtypes(saved).filter(([n]) => n !== 'ids' && n !== 'x')).toEqual(
      ['emb', 'lstm', 'add', 'td', 'bn', 'ln', 'drop', 'gap', 'out'].map((n) => [n, policy]),
    );
    tf.dispose([...xs, a, b]);
    model.dispose();
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });
});
