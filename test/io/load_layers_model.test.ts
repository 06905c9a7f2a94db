import * as tf from '@tensorflow/tfjs';
import * as fs from 'fs';
import * as path from 'path';

import * as mp from '../../layers';
import {Dense} from '../../layers';
import {loadLayersModel} from '../../src/io/load_layers_model';
import {cast} from '../../src/cast/cast';
import {fileSystem} from '../../src/io/file_system';
import {fixtureDir, fixtureJson, fixtureVariant, setLayerDtypes, toKeras3Form} from './keras_fixtures';
import {makeTempDir, removeTempDirs} from './temp_dir';

const DENSE_FIXTURE = 'keras3.4-dense-dtypepolicy';

beforeAll(() => tf.setBackend('cpu'));
afterAll(removeTempDirs);

/** Runs `fn`, then checks that it left no tensor behind. */
async function noLeaks(fn: () => Promise<void>): Promise<void> {
  const before = tf.memory().numTensors;
  await fn();
  expect(tf.memory().numTensors).toBe(before);
}

// tfjs 4.22's model.dispose() leaves a layer applied twice (shared) with its
// variables alive; dispose those too.
function disposeWithSharedLayers(model: tf.LayersModel): void {
  const weights = model.weights;
  model.dispose();
  for (const w of weights) {
    if (!(w as unknown as {val: tf.Variable}).val.isDisposed) {
      w.dispose();
    }
  }
}

function policiesOf(model: tf.LayersModel): Array<[string, string | undefined]> {
  return model.layers.map((l) => [l.name, (l as {policy?: {name: string}}).policy?.name]);
}

async function predict(model: tf.LayersModel, x: tf.Tensor): Promise<Float32Array> {
  const y = model.predict(x) as tf.Tensor;
  const values = (await y.data()) as Float32Array;
  y.dispose();
  return values;
}

describe('loadLayersModel with real Keras-converted models', () => {
  it('loads the Keras 3.4 model that stock tfjs refuses, with float32 DTypePolicy on its Dense layers', async () => {
    await noLeaks(async () => {
      const model = await loadLayersModel(fixtureDir(DENSE_FIXTURE));
      const x = tf.tensor2d([[0], [1]]);
      const y = await predict(model, x);
      expect(y[0]).toBeCloseTo(0.5110772, 6);
      expect(y[1]).toBeCloseTo(0.5857895, 6);
      expect(policiesOf(model)).toEqual([
        ['input_layer', undefined],
        ['dense', 'float32'],
        ['dense_1', 'float32'],
      ]);
      expect(model.layers[1]).toBeInstanceOf(Dense);
      x.dispose();
      model.dispose();
    });
  });

  it('stock tfjs fails on that model (the reason this loader exists)', async () => {
    const json = fixtureJson(DENSE_FIXTURE);
    await expect(tf.loadLayersModel(tf.io.fromMemory({modelTopology: json['modelTopology']}))).rejects.toThrow(
      /An InputLayer should be passed either a `batchInputShape` or an `inputShape`/,
    );
  });

  it('loads the Keras 2.4 linear model: predict(10) = 18.980305', async () => {
    await noLeaks(async () => {
      const model = await loadLayersModel(fixtureDir('keras2.4-linear'));
      const x = tf.tensor2d([[10]]);
      expect((await predict(model, x))[0]).toBeCloseTo(18.980305, 5);
      expect(policiesOf(model)[1]).toEqual(['dense', 'float32']);
      x.dispose();
      model.dispose();
    });
  });

  it('loads the Keras 2.11 convnet and predicts a finite softmax on a 48x48x1 input', async () => {
    await noLeaks(async () => {
      const model = await loadLayersModel(fixtureDir('keras2.11-conv'));
      const x = tf.randomUniform([1, 48, 48, 1], 0, 1, 'float32', 3);
      const y = model.predict(x) as tf.Tensor;
      expect(y.shape).toEqual([1, 2]);
      const p = Array.from(await y.data());
      expect(p.every((v) => Number.isFinite(v) && v >= 0 && v <= 1)).toBe(true);
      expect(p[0]! + p[1]!).toBeCloseTo(1, 6);
      expect(policiesOf(model).filter(([, p]) => p !== undefined).map(([n]) => n)).toEqual([
        'conv2d',
        'max_pooling2d',
        'conv2d_1',
        'max_pooling2d_1',
        'conv2d_2',
        'flatten',
        'dense',
        'dense_1',
      ]);
      tf.dispose([x, y]);
      model.dispose();
    });
  });
});

describe('loadLayersModel reads every Keras version\'s dtype policy shape', () => {
  const mixed = (module?: string, className = 'DTypePolicy', name = 'mixed_float16') => ({
    ...(module === undefined ? {} : {module}),
    class_name: className,
    config: {name},
    ...(module === undefined ? {} : {registered_name: null}),
  });
  const variants: Array<[string, unknown, string]> = [
    ['Keras 3.4+ DTypePolicy with module', mixed('keras'), 'mixed_float16'],
    ['the converter .keras form without module', mixed(), 'mixed_float16'],
    ['Keras 3.4-3.5 FloatDTypePolicy', mixed('keras', 'FloatDTypePolicy'), 'mixed_float16'],
    ['Keras 2.13-2.15 (module keras.mixed_precision)', mixed('keras.mixed_precision', 'Policy'), 'mixed_float16'],
    ['TF 2.1-2.12 Policy', {class_name: 'Policy', config: {name: 'mixed_float16'}}, 'mixed_float16'],
    ['TF 2.1-2.3 PolicyV1 with a loss scale', {class_name: 'PolicyV1', config: {name: 'mixed_float16', loss_scale: 'dynamic'}}, 'mixed_float16'],
    ['Keras 3.0-3.3 plain string', 'mixed_float16', 'mixed_float16'],
    ['Keras 3.4+ mixed_bfloat16', mixed('keras', 'DTypePolicy', 'mixed_bfloat16'), 'mixed_bfloat16'],
  ];

  it.each(variants)('%s', async (_, dtype, expected) => {
    const dir = fixtureVariant(DENSE_FIXTURE, (json) => setLayerDtypes(json, 'Dense', dtype));
    await noLeaks(async () => {
      const model = await loadLayersModel(dir);
      expect(policiesOf(model)).toEqual([
        ['input_layer', undefined],
        ['dense', expected],
        ['dense_1', expected],
      ]);
      const x = tf.tensor2d([[0], [1]]);
      const y = model.predict(x) as tf.Tensor;
      // Computed in the narrow dtype: outputs are exactly representable in it,
      // and within its rounding error of the float32 results.
      const narrow = expected === 'mixed_float16' ? 'float16' : 'bfloat16';
      const rounded = cast(y, narrow);
      const values = Array.from(await y.data());
      expect(values).toEqual(Array.from(await rounded.data()));
      expect(values[0]).toBeCloseTo(0.5110772, 2);
      expect(values[1]).toBeCloseTo(0.5857895, 2);
      tf.dispose([x, y, rounded]);
      model.dispose();
    });
  });

  it('the same Keras 3.4 model written as a Keras 3 Sequential (InputLayer batch_shape, model-level DTypePolicy)', async () => {
    const dir = fixtureVariant(DENSE_FIXTURE, (json) => {
      const functional = json['modelTopology']['model_config'];
      json['modelTopology']['model_config'] = {
        module: 'keras',
        class_name: 'Sequential',
        config: {
          name: 'sequential',
          trainable: true,
          dtype: {module: 'keras', class_name: 'DTypePolicy', config: {name: 'mixed_float16'}, registered_name: null},
          layers: functional['config']['layers'].map((l: Record<string, unknown>) => ({
            module: 'keras.layers',
            class_name: l['class_name'],
            config: l['config'],
            registered_name: null,
          })),
          build_input_shape: [null, 1],
        },
        registered_name: null,
        build_config: {input_shape: [null, 1]},
      };
    });
    await noLeaks(async () => {
      const model = await loadLayersModel(dir);
      expect(model).toBeInstanceOf(tf.Sequential);
      expect(policiesOf(model)).toEqual([
        ['input_layer', undefined],
        ['dense', 'float32'],
        ['dense_1', 'float32'],
      ]);
      const x = tf.tensor2d([[0], [1]]);
      const y = await predict(model, x);
      expect(y[0]).toBeCloseTo(0.5110772, 6);
      expect(y[1]).toBeCloseTo(0.5857895, 6);
      x.dispose();
      model.dispose();
    });
  });

  it('a Keras 2 Sequential whose first layer carries batch_input_shape and a policy (no InputLayer)', async () => {
    const dir = fixtureVariant('keras2.4-linear', (json) => {
      const layers = json['modelTopology']['model_config']['config']['layers'];
      layers.shift();
      layers[0]['config']['dtype'] = {class_name: 'Policy', config: {name: 'mixed_float16'}};
    });
    await noLeaks(async () => {
      const model = await loadLayersModel(dir);
      expect(policiesOf(model)).toEqual([['dense', 'mixed_float16']]);
      const x = tf.tensor2d([[10]]);
      // 1.9971455 * 10 - 0.99115 in float16 steps: kernel 1.997, input 10, product 19.97, sum 18.98.
      expect((await predict(model, x))[0]).toBe(18.984375);
      x.dispose();
      model.dispose();
    });
  });
});

describe('save with fileSystem, load with loadLayersModel', () => {
  const POLICIES = ['float32', 'mixed_float16', 'mixed_bfloat16', 'float16', 'bfloat16'] as const;

  // Conv2D -> Flatten -> Dense -> Activation(softmax, float32), built from
  // this package's layers under `policy`.
  function buildModel(policy: string): tf.LayersModel {
    const input = tf.input({shape: [6, 6, 1]});
    const conv = mp.conv2d({filters: 2, kernelSize: 3, activation: 'relu', dtype: policy as never, name: 'conv'}).apply(input);
    const flat = mp.flatten({name: 'flat', dtype: policy as never}).apply(conv);
    const logits = mp.dense({units: 3, dtype: policy as never, name: 'logits'}).apply(flat);
    const probs = mp.activation({activation: 'softmax', dtype: 'float32', name: 'probs'}).apply(logits);
    return tf.model({inputs: input, outputs: probs as tf.SymbolicTensor, name: `m_${policy}`});
  }

  it.each(POLICIES)('%s: bit-identical predictions, same policies, same config', async (policy) => {
    await noLeaks(async () => {
      const model = buildModel(policy);
      const dir = makeTempDir();
      await model.save(fileSystem(dir));
      const loaded = await loadLayersModel(`file://${dir}`);
      expect(policiesOf(loaded)).toEqual(policiesOf(model));
      expect(policiesOf(loaded)[1]).toEqual(['conv', policy]);
      expect(loaded.toJSON(null, false)).toEqual(model.toJSON(null, false));
      const x = tf.randomNormal([4, 6, 6, 1], 0, 1, 'float32', 7);
      const [a, b] = [await predict(model, x), await predict(loaded, x)];
      expect(Array.from(b)).toEqual(Array.from(a));
      x.dispose();
      model.dispose();
      loaded.dispose();
    });
  });

  it('a Sequential model: same layers, config and predictions', async () => {
    await noLeaks(async () => {
      const model = tf.sequential({
        layers: [
          mp.dense({units: 3, inputShape: [4], dtype: 'mixed_float16', name: 'd1'}),
          mp.dropout({rate: 0.2, name: 'drop', dtype: 'float32'}),
          mp.dense({units: 2, dtype: 'mixed_bfloat16', name: 'd2'}),
        ],
      });
      const dir = makeTempDir();
      await model.save(fileSystem(dir));
      const loaded = await loadLayersModel(dir);
      expect(policiesOf(loaded)).toEqual([
        ['d1', 'mixed_float16'],
        ['drop', 'float32'],
        ['d2', 'mixed_bfloat16'],
      ]);
      expect(loaded.toJSON(null, false)).toEqual(model.toJSON(null, false));
      const x = tf.randomNormal([5, 4], 0, 1, 'float32', 9);
      expect(Array.from(await predict(loaded, x))).toEqual(Array.from(await predict(model, x)));
      x.dispose();
      model.dispose();
      loaded.dispose();
    });
  });

  it('the same model rewritten in the Keras 3 form (two inputs, a shared layer, a merge layer)', async () => {
    const dir = makeTempDir();
    await noLeaks(async () => {
      const a = tf.input({shape: [4], name: 'a'});
      const b = tf.input({shape: [4], name: 'b'});
      const shared = mp.dense({units: 3, activation: 'tanh', dtype: 'mixed_float16', name: 'shared'});
      const merged = mp.concatenate({name: 'cat', dtype: 'mixed_float16'}).apply([shared.apply(a), shared.apply(b)] as tf.SymbolicTensor[]);
      const out = mp.dense({units: 2, dtype: 'mixed_bfloat16', name: 'out'}).apply(merged);
      const model = tf.model({inputs: [a, b], outputs: out as tf.SymbolicTensor, name: 'two_inputs'});
      await model.save(fileSystem(dir));
      const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
      toKeras3Form(json);
      expect(json.modelTopology.config.layers[3].inbound_nodes[0].args[0]).toHaveLength(2);
      fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
      const loaded = await loadLayersModel(dir);
      expect(policiesOf(loaded)).toEqual(policiesOf(model));
      const xa = tf.randomNormal([3, 4], 0, 1, 'float32', 10);
      const xb = tf.randomNormal([3, 4], 0, 1, 'float32', 11);
      const [ya, yb] = [model.predict([xa, xb]) as tf.Tensor, loaded.predict([xa, xb]) as tf.Tensor];
      expect(Array.from(await yb.data())).toEqual(Array.from(await ya.data()));
      tf.dispose([xa, xb, ya, yb]);
      disposeWithSharedLayers(model);
      disposeWithSharedLayers(loaded);
    });
    // Stock tfjs cannot read that form (and leaks the layers it built before failing).
    await expect(tf.loadLayersModel(fileSystem(dir))).rejects.toThrow(/batchInputShape/);
  });

  it('keeps the training config and optimizer weights (includeOptimizer)', async () => {
    const before = tf.memory().numTensors;
    const model = buildModel('mixed_float16');
    model.compile({optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy'});
    const x = tf.randomNormal([4, 6, 6, 1], 0, 1, 'float32', 8);
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 2, 0], 'int32'), 3));
    await model.fit(x, y, {epochs: 1, verbose: 0});
    const dir = makeTempDir();
    await model.save(fileSystem(dir), {includeOptimizer: true});
    const loaded = await loadLayersModel(path.join(dir, 'model.json'));
    expect(loaded.optimizer.getClassName()).toBe('Adam');
    const [wa, wb] = [await model.optimizer.getWeights(), await loaded.optimizer.getWeights()];
    expect(wb.map((w) => Array.from(w.tensor.dataSync()))).toEqual(wa.map((w) => Array.from(w.tensor.dataSync())));
    // One more step from the same state gives the same weights (unshuffled:
    // a shuffled batch sums its gradient in another order).
    await model.fit(x, y, {epochs: 1, verbose: 0, shuffle: false});
    await loaded.fit(x, y, {epochs: 1, verbose: 0, shuffle: false});
    expect(loaded.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(model.getWeights().map((w) => Array.from(w.dataSync())));
    tf.dispose([x, y, wa[0]!.tensor, wb[0]!.tensor]);
    for (const m of [model, loaded]) {
      m.dispose();
      m.optimizer.dispose();
    }
    // tfjs's own save leaks the iterations scalar of optimizer.getWeights().
    expect(tf.memory().numTensors).toBe(before + 1);
  });
});

describe('loadLayersModel({compile: true}) applies the Keras training_config', () => {
  it.each([
    ['keras2.4-linear', 'SGD', 'meanSquaredError', []],
    ['keras3.4-dense-dtypepolicy', 'RMSProp', 'binaryCrossentropy', ['acc']],
    ['keras2.11-conv', 'Adam', 'sparseCategoricalCrossentropy', ['acc']],
  ] as Array<[string, string, string, string[]]>)('%s: %s, %s', async (name, optimizer, loss, metrics) => {
    const before = tf.memory().numTensors;
    const model = await loadLayersModel(fixtureDir(name), {compile: true});
    expect(model.optimizer.getClassName()).toBe(optimizer);
    expect(model.loss).toBe(loss);
    expect(model.metricsNames).toEqual(['loss', ...metrics]);
    const input = model.inputs[0]!.shape.map((d) => d ?? 2);
    const x = tf.randomUniform(input, 0, 1, 'float32', 5);
    const y = loss === 'sparseCategoricalCrossentropy' ? tf.tensor2d([[0], [1]]) : tf.tidy(() => tf.onesLike(model.predict(x) as tf.Tensor));
    const result = model.evaluate(x, y) as tf.Scalar | tf.Scalar[];
    const values = (Array.isArray(result) ? result : [result]).map((r) => r.dataSync()[0]!);
    expect(values.every(Number.isFinite)).toBe(true);
    tf.dispose([x, y, result as tf.Tensor]);
    model.dispose();
    model.optimizer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('fine-tunes the Keras 2.4 model with its Keras SGD (lr 0.01): one step moves the weights as SGD does', async () => {
    await noLeaks(async () => {
      const model = await loadLayersModel(fixtureDir('keras2.4-linear'), {compile: true});
      const [x, y] = [tf.tensor2d([[1]]), tf.tensor2d([[3]])];
      const [w0, b0] = model.getWeights().map((w) => w.dataSync()[0]!);
      await model.fit(x, y, {epochs: 1, verbose: 0});
      const [w1, b1] = model.getWeights().map((w) => w.dataSync()[0]!);
      // d(mse)/dw = 2 (w + b - 3) x
      const g = 2 * (w0! + b0! - 3);
      expect(w1).toBeCloseTo(w0! - 0.01 * g, 6);
      expect(b1).toBeCloseTo(b0! - 0.01 * g, 6);
      tf.dispose([x, y]);
      model.dispose();
      model.optimizer.dispose();
    });
  });

  it('names the model when it has no training_config, and leaks nothing', async () => {
    const dir = fixtureVariant('keras2.4-linear', (json) => {
      delete json['modelTopology']['training_config'];
    });
    await noLeaks(async () => {
      await expect(loadLayersModel(dir, {compile: true})).rejects.toThrow(
        `loadLayersModel({compile: true}): '${dir}' has no training_config (and no tfjs trainingConfig); compile it yourself.`,
      );
    });
  });

  it('refuses what tfjs cannot reproduce, naming the setting', async () => {
    const dir = fixtureVariant('keras2.4-linear', (json) => {
      json['modelTopology']['training_config']['optimizer_config']['config']['decay'] = 0.5;
    });
    await noLeaks(async () => {
      await expect(loadLayersModel(dir, {compile: true})).rejects.toThrow(/^loadLayersModel\(\{compile: true\}\): .*decay = 0.5/);
    });
  });

  it('without the option, a Keras model loads uncompiled, as with tf.loadLayersModel', async () => {
    await noLeaks(async () => {
      const model = await loadLayersModel(fixtureDir('keras2.4-linear'));
      expect(model.optimizer).toBeUndefined();
      model.dispose();
    });
  });
});

describe('loadLayersModel sources', () => {
  it('accepts a directory, a model.json path, a file:// URL and an IOHandler', async () => {
    const dir = fixtureDir('keras2.4-linear');
    for (const source of [dir, path.join(dir, 'model.json'), `file://${dir}`, fileSystem(dir)]) {
      const model = await loadLayersModel(source);
      expect(model.layers.map((l) => l.name)).toEqual(['dense_input', 'dense']);
      model.dispose();
    }
  });

  it('loads an http(s) URL through tf.io.http (options passed on)', async () => {
    const requested: string[] = [];
    const fetchFunc = async (input: RequestInfo | URL) => {
      const url = String(input);
      requested.push(url);
      const file = path.join(fixtureDir(DENSE_FIXTURE), path.basename(new URL(url).pathname));
      return new Response(fs.readFileSync(file), {status: 200, headers: {'content-type': 'application/octet-stream'}});
    };
    const model = await loadLayersModel('https://example.com/models/dense/model.json', {fetchFunc});
    expect(requested).toEqual(['https://example.com/models/dense/model.json', 'https://example.com/models/dense/group1-shard1of1.bin']);
    expect(policiesOf(model)[1]).toEqual(['dense', 'float32']);
    const x = tf.tensor2d([[1]]);
    expect((await predict(model, x))[0]).toBeCloseTo(0.5857895, 6);
    x.dispose();
    model.dispose();
  });

  it.each([
    ['a number', 42, /^loadLayersModel: pathOrIOHandler must be an IOHandler with a load\(\) method, a URL or a file path; received 42/],
    ['an empty string', '', /received ''/],
    ['an object without load()', {save: () => null}, /received \{\}/],
    // No router for these in Node: named, instead of an http fetch of the URL.
    ['a URL scheme without a registered router', 'indexeddb://my-model', /^loadLayersModel: no IO handler is registered for 'indexeddb:\/\/' \('indexeddb:\/\/my-model'\) here\. Valid: an IOHandler, an http\(s\):\/\/ URL, a file path/],
    ['an unknown scheme', 'gs://bucket/model.json', /no IO handler is registered for 'gs:\/\/'/],
  ])('rejects %s', async (_, source, message) => {
    await expect(loadLayersModel(source as never)).rejects.toThrow(message);
  });

  it('names the missing path', async () => {
    const dir = path.join(makeTempDir(), 'nothing-here');
    await expect(loadLayersModel(dir)).rejects.toThrow(`fileSystem.load: no model.json at '${path.join(dir, 'model.json')}'.`);
  });

  it('refuses a graph model, pointing to tf.loadGraphModel', async () => {
    const handler = {load: async () => ({format: 'graph-model', modelTopology: {node: []}})};
    await expect(loadLayersModel(handler)).rejects.toThrow(
      "loadLayersModel: the model from the given IOHandler is a graph model (format 'graph-model'); load it with tf.loadGraphModel.",
    );
  });

  it('names the model and the layer for a topology it cannot read', async () => {
    const dir = fixtureVariant(DENSE_FIXTURE, (json) => setLayerDtypes(json, 'Dense', 'mixed_float8'));
    await expect(loadLayersModel(dir)).rejects.toThrow(
      new RegExp(`^loadLayersModel: cannot read the topology of '${dir}': layer 'dense' \\(Dense\\): .*'mixed_float8'`),
    );
  });

  it("wraps tfjs's own errors with the model's source", async () => {
    const dir = fixtureVariant('keras2.4-linear', (json) => {
      json['modelTopology']['model_config']['config']['layers'][1]['class_name'] = 'NoSuchLayer';
    });
    await expect(loadLayersModel(dir)).rejects.toThrow(new RegExp(`^loadLayersModel: cannot build '${dir}': Unknown layer: NoSuchLayer`));
  });
});
