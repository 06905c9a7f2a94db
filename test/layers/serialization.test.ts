// What the layers write into model.json, and what they read from Keras files.
import * as fs from 'fs';
import * as path from 'path';

import * as tf from '@tensorflow/tfjs';

import * as layers from '../../layers';
import {data, expectNoTensorLeaks, expectSamePredictions, saveAndLoad, useCpuBackend} from './layer_test_utils';

useCpuBackend();

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'keras-models');

/** Loads a converted Keras model from the fixtures with tfjs's own loader. */
function loadFixture(name: string, edit: (topology: Record<string, unknown>) => void = () => {}): Promise<tf.LayersModel> {
  const dir = path.join(FIXTURES, name);
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')) as {
    modelTopology: Record<string, unknown>;
    weightsManifest: Array<{paths: string[]; weights: tf.io.WeightsManifestEntry[]}>;
  };
  edit(json.modelTopology);
  const manifest = json.weightsManifest[0]!;
  const bin = fs.readFileSync(path.join(dir, manifest.paths[0]!));
  const weightData = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength);
  return tf.loadLayersModel(
    tf.io.fromMemory({modelTopology: json.modelTopology, weightSpecs: manifest.weights, weightData}),
  );
}

async function savedTopology(model: tf.LayersModel): Promise<{config: {layers: Array<{class_name: string; config: Record<string, unknown>}>}}> {
  let topology: unknown;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      topology = a.modelTopology;
      return {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON'}};
    }),
  );
  return topology as {config: {layers: Array<{class_name: string; config: Record<string, unknown>}>}};
}

describe('model.json written from these layers', () => {
  expectNoTensorLeaks();

  it('holds standard Keras class names and Keras 2 policy shapes', async () => {
    const model = tf.sequential({
      layers: [
        layers.conv2d({filters: 2, kernelSize: 3, inputShape: [5, 5, 1], dtype: 'mixed_float16'}),
        tf.layers.flatten(),
        layers.dense({units: 3, dtype: 'float16'}),
        layers.cast({dtype: 'float32'}),
        layers.activation({activation: 'softmax', dtype: 'float32'}),
      ],
    });
    const topology = await savedTopology(model);
    const written = topology.config.layers.map((l) => [l.class_name, l.config['dtype']]);
    expect(written).toEqual([
      ['Conv2D', {class_name: 'Policy', config: {name: 'mixed_float16'}}],
      ['Flatten', undefined],
      ['Dense', 'float16'],
      ['Cast', 'float32'],
      ['Activation', 'float32'],
    ]);
    // The first layer's batch_input_shape is there, for Keras and for tfjs.
    expect(topology.config.layers[0]!.config['batch_input_shape']).toEqual([null, 5, 5, 1]);
    model.dispose();
  });

  it('a Sequential whose first layer carries a policy object reloads with a float32 input and predicts', async () => {
    const model = tf.sequential({layers: [layers.dense({units: 2, inputShape: [3], dtype: 'mixed_bfloat16'})]});
    const loaded = await saveAndLoad(model);
    expect(loaded.inputs[0]!.dtype).toBe('float32');
    expect((loaded.layers[0] as layers.Dense).policy.name).toBe('mixed_bfloat16');
    const x = data([2, 3], 1);
    expectSamePredictions(model, loaded, x);
    x.dispose();
    model.dispose();
    loaded.dispose();
  });
});

describe('Keras-converted models, through tfjs.loadLayersModel', () => {
  expectNoTensorLeaks();

  it('keras2.4-linear loads as our Dense with a float32 policy and the stock result', async () => {
    const model = await loadFixture('keras2.4-linear');
    expect(model.layers.map((l) => l.getClassName())).toEqual(['InputLayer', 'Dense']);
    const dense = model.layers[1] as layers.Dense;
    expect(dense).toBeInstanceOf(layers.Dense);
    expect(dense.policy.name).toBe('float32');
    const x = tf.tensor2d([[10]]);
    const y = model.predict(x) as tf.Tensor;
    expect(y.dataSync()[0]).toBeCloseTo(18.980305, 5);
    tf.dispose([x, y]);
    model.dispose();
  });

  it.each([
    ['Keras 2.4-2.12', {class_name: 'Policy', config: {name: 'mixed_float16'}}, 'mixed_float16'],
    ['Keras 2.13-2.15', {module: 'keras.mixed_precision', class_name: 'Policy', config: {name: 'mixed_float16'}, registered_name: null}, 'mixed_float16'],
    ['Keras 3.0-3.3', 'mixed_bfloat16', 'mixed_bfloat16'],
    ['Keras 3.4+', {module: 'keras', class_name: 'DTypePolicy', config: {name: 'mixed_bfloat16'}, registered_name: null}, 'mixed_bfloat16'],
  ])('keras2.4-linear edited to a %s policy on its first Dense (with batch_input_shape) loads with it', async (_v, dtype, expected) => {
    const model = await loadFixture('keras2.4-linear', (topology) => {
      const config = (topology['model_config'] as {config: {layers: Array<{config: Record<string, unknown>}>}}).config;
      config.layers[1]!.config['dtype'] = dtype;
    });
    const dense = model.layers.find((l) => l instanceof layers.Dense) as layers.Dense;
    expect(dense.policy.name).toBe(expected);
    const x = tf.tensor2d([[10]]);
    const y = model.predict(x) as tf.Tensor;
    // Computed in the narrow dtype: close to the float32 result, not equal.
    expect(Math.abs((y.dataSync()[0] as number) - 18.980305)).toBeLessThan(0.1);
    expect(y.dataSync()[0]).not.toBe(Math.fround(18.980305));
    tf.dispose([x, y]);
    model.dispose();
  });

  it('keras2.11-conv (Conv2D, Dense) loads into our classes', async () => {
    const model = await loadFixture('keras2.11-conv');
    const ours = model.layers.filter((l) => l instanceof layers.Conv2D || l instanceof layers.Dense);
    expect(ours.length).toBe(5);
    const x = data([1, 48, 48, 1], 1);
    const y = model.predict(x) as tf.Tensor;
    expect(y.shape).toEqual([1, 2]);
    tf.dispose([x, y]);
    model.dispose();
  });
});
