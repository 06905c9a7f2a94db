import * as tf from '@tensorflow/tfjs';

import * as mp from '../../src';
import {fileSystem} from '../../src/io/file_system';
import {fixtureDir} from '../io/keras_fixtures';
import {makeTempDir} from '../io/temp_dir';
import {expectNoTensorLeaks, inexactValues, useCpuBackend} from '../layers/layer_test_utils';

useCpuBackend();
expectNoTensorLeaks();

let info: jest.SpyInstance;
beforeEach(() => {
  info = jest.spyOn(console, 'info').mockImplementation(() => undefined);
});
afterEach(() => info.mockRestore());

const seeded = (seed: number) => tf.initializers.glorotUniform({seed});

/** A stock tfjs functional convnet: every layer from tf.layers. */
function stockConvnet(): tf.LayersModel {
  const input = tf.input({shape: [6, 6, 2], name: 'image'});
  const c = tf.layers.conv2d({filters: 3, kernelSize: 3, activation: 'relu', kernelInitializer: seeded(1), name: 'conv'}).apply(input);
  const p = tf.layers.maxPooling2d({poolSize: 2, name: 'pool'}).apply(c);
  const f = tf.layers.flatten({name: 'flat'}).apply(p);
  const d = tf.layers.dense({units: 5, activation: 'relu', kernelInitializer: seeded(2), biasInitializer: 'ones', name: 'hidden'}).apply(f);
  const out = tf.layers.dense({units: 2, activation: 'softmax', kernelInitializer: seeded(3), name: 'predictions'}).apply(d);
  return tf.model({inputs: input, outputs: out as tf.SymbolicTensor, name: 'stock_convnet'});
}

/** A stock tfjs Sequential MLP. */
function stockMlp(): tf.Sequential {
  return tf.sequential({
    name: 'stock_mlp',
    layers: [
      tf.layers.dense({units: 4, inputShape: [3], activation: 'tanh', kernelInitializer: seeded(4), biasInitializer: 'ones', name: 'd1'}),
      tf.layers.dense({units: 2, kernelInitializer: seeded(5), name: 'd2'}),
    ],
  });
}

const image = () => tf.randomUniform([4, 6, 6, 2], -1, 1, 'float32', 7);
const vector = () => tf.tensor2d([[0.3, -1.2, 2.5], [1e-3, 0.75, -0.5]]);

function bitsOf(t: tf.Tensor): number[] {
  return Array.from(new Uint32Array(new Float32Array(t.dataSync()).buffer));
}

function weightBits(model: tf.LayersModel): number[][] {
  return model.getWeights().map(bitsOf);
}

function policyNames(model: tf.LayersModel): Array<[string, string | undefined]> {
  return model.layers.map((l) => [l.name, (l as Partial<mp.layers.PolicyAware>).policy?.name]);
}

function predictBits(model: tf.LayersModel, x: tf.Tensor): number[] {
  const y = model.predict(x) as tf.Tensor;
  const bits = bitsOf(y);
  y.dispose();
  return bits;
}

describe('applyPolicy: a stock model becomes policy-aware, same topology and weights', () => {
  it('float32: the same classes, predictions bit for bit those of the stock model', () => {
    const stock = stockConvnet();
    const x = image();
    const model = mp.applyPolicy(stock, 'float32');
    expect(model).not.toBe(stock);
    expect(model.layers.map((l) => l.getClassName())).toEqual(stock.layers.map((l) => l.getClassName()));
    expect(model.layers.map((l) => l.name)).toEqual(stock.layers.map((l) => l.name));
    expect(weightBits(model)).toEqual(weightBits(stock));
    expect(predictBits(model, x)).toEqual(predictBits(stock, x));
    expect(policyNames(model).find(([n]) => n === 'hidden')).toEqual(['hidden', 'float32']);
    tf.dispose([x]);
    model.dispose();
    stock.dispose();
  });

  it('mixed_float16: every policy-aware layer gets it; output float16-exact and close to float32', () => {
    const stock = stockConvnet();
    const x = image();
    const model = mp.applyPolicy(stock, 'mixed_float16');
    const withPolicy = policyNames(model).filter(([, p]) => p !== undefined);
    expect(withPolicy.map(([n]) => n)).toEqual(expect.arrayContaining(['conv', 'hidden', 'predictions']));
    expect(withPolicy.every(([, p]) => p === 'mixed_float16')).toBe(true);
    // The input layer stays float32, as in Keras.
    expect(policyNames(model)[0]).toEqual(['image', undefined]);
    expect(weightBits(model)).toEqual(weightBits(stock));
    const [y, y32] = [model.predict(x) as tf.Tensor, stock.predict(x) as tf.Tensor];
    expect(mp.dtypeOf(model.outputs[0]!)).toBe('float16');
    expect(inexactValues(y.dataSync(), 'float16')).toEqual([]);
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(y, y32))));
    expect(diff.dataSync()[0]).toBeLessThan(2e-3);
    tf.dispose([x, y, y32, diff]);
    model.dispose();
    stock.dispose();
  });

  it('is what building the model from mp.layers under the policy gives (Sequential)', () => {
    const stock = stockMlp();
    const x = vector();
    const model = mp.applyPolicy(stock, 'mixed_float16');
    const direct = mp.withPolicy('mixed_float16', () =>
      tf.sequential({
        layers: [
          mp.layers.dense({units: 4, inputShape: [3], activation: 'tanh', name: 'd1'}),
          mp.layers.dense({units: 2, name: 'd2'}),
        ],
      }),
    );
    direct.setWeights(stock.getWeights());
    expect(model.getClassName()).toBe('Sequential');
    expect(predictBits(model, x)).toEqual(predictBits(direct, x));
    tf.dispose([x]);
    [model, direct, stock].forEach((m) => m.dispose());
  });

  it('float16 (variables in float16 too): the copied weights are rounded into float16', () => {
    const stock = stockMlp();
    const model = mp.applyPolicy(stock, 'float16');
    const rounded = stock.getWeights().map((w) => mp.cast(w, 'float16'));
    expect(weightBits(model)).toEqual(rounded.map(bitsOf));
    // The stock model keeps its float32 values.
    expect(weightBits(stock)).not.toEqual(weightBits(model));
    tf.dispose(rounded);
    model.dispose();
    stock.dispose();
  });

  it('per-layer overrides (a Map or an object) keep the named layers in their own policy', () => {
    const stock = stockMlp();
    for (const overrides of [{d2: 'float32'} as mp.PolicyOverrides, new Map([['d2', new mp.Policy('float32')]])]) {
      const model = mp.applyPolicy(stock, 'mixed_float16', overrides);
      expect(policyNames(model)).toEqual([
        ['d1', 'mixed_float16'],
        ['d2', 'float32'],
      ]);
      expect(mp.dtypeOf(model.outputs[0]!)).toBe('float32');
      model.dispose();
    }
    stock.dispose();
  });

  it('walks into nested models; their layers can be overridden by name', () => {
    const inner = stockMlp();
    const input = tf.input({shape: [3], name: 'outer_in'});
    const head = tf.layers.dense({units: 1, kernelInitializer: seeded(6), name: 'head'});
    const outer = tf.model({inputs: input, outputs: head.apply(inner.apply(input)) as tf.SymbolicTensor, name: 'outer'});
    const x = vector();
    const model = mp.applyPolicy(outer, 'mixed_bfloat16', {d1: 'float32'});
    const nested = model.getLayer('stock_mlp') as tf.LayersModel;
    expect(policyNames(nested)).toEqual([
      ['d1', 'float32'],
      ['d2', 'mixed_bfloat16'],
    ]);
    expect(policyNames(model).slice(2)).toEqual([['head', 'mixed_bfloat16']]);
    expect(weightBits(model)).toEqual(weightBits(outer));
    const y = model.predict(x) as tf.Tensor;
    expect(inexactValues(y.dataSync(), 'bfloat16')).toEqual([]);
    tf.dispose([x, y]);
    model.dispose();
    outer.dispose();
  });

  it('converts a model loaded by tf.loadLayersModel (the Keras 2.11 convnet), which then fine-tunes loss-scaled', async () => {
    const stock = await tf.loadLayersModel(fileSystem(fixtureDir('keras2.11-conv')));
    const model = mp.applyPolicy(stock, 'mixed_float16', {dense_1: 'float32'});
    expect(policyNames(model).filter(([, p]) => p !== undefined).map(([n, p]) => `${n}:${p}`)).toEqual(
      expect.arrayContaining(['conv2d:mixed_float16', 'conv2d_2:mixed_float16', 'dense:mixed_float16', 'dense_1:float32']),
    );
    expect(weightBits(model)).toEqual(weightBits(stock));
    model.compile({optimizer: tf.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy'});
    expect(mp.isLossScaleOptimizer(model.optimizer)).toBe(true);
    const x = tf.randomUniform([2, 48, 48, 1], 0, 1, 'float32', 3);
    const y = tf.tensor2d([[0], [1]]);
    const history = await model.fit(x, y, {epochs: 1, verbose: 0});
    expect(Number.isFinite(history.history['loss']![0] as number)).toBe(true);
    tf.dispose([x, y]);
    model.optimizer.dispose();
    model.dispose();
    stock.dispose();
  });

  it('runs no initializer (weights are copied): an LSTM with unitForgetBias leaks nothing and predicts the same', () => {
    // Built in a tidy: tfjs's own build of this LSTM leaves 4 tensors behind.
    let stock: tf.LayersModel | undefined;
    tf.tidy(() => {
      stock = tf.sequential({
        layers: [tf.layers.lstm({units: 3, unitForgetBias: true, inputShape: [4, 2], kernelInitializer: seeded(8), name: 'rnn'})],
      });
    });
    stock = stock!;
    const x = tf.randomUniform([2, 4, 2], -1, 1, 'float32', 9);
    const model = mp.applyPolicy(stock, 'float32');
    expect(weightBits(model)).toEqual(weightBits(stock));
    expect(predictBits(model, x)).toEqual(predictBits(stock, x));
    tf.dispose([x]);
    model.dispose();
    stock.dispose();
  });

  it('saves with every policy and loads back the same', async () => {
    const stock = stockConvnet();
    const model = mp.applyPolicy(stock, 'mixed_float16', {predictions: 'float32'});
    const dir = makeTempDir();
    await model.save(fileSystem(dir));
    const loaded = await mp.loadLayersModel(dir);
    expect(policyNames(loaded)).toEqual(policyNames(model));
    const x = image();
    expect(predictBits(loaded, x)).toEqual(predictBits(model, x));
    tf.dispose([x]);
    [stock, model, loaded].forEach((m) => m.dispose());
  });
});

describe('applyPolicy refuses bad arguments clearly and leaves the model as it was', () => {
  const cases: Array<[string, unknown, unknown, RegExp | string]> = [
    ['a bad policy name', 'mixed_float61', {}, /^applyPolicy: policy: dtype must be a Policy or one of 'float32', .*; received 'mixed_float61'\.$/],
    ['a non-floating policy', 'int32', {}, /^applyPolicy: policy: dtype must be a floating policy such as 'float32', 'mixed_float16' or 'mixed_bfloat16'; received 'int32'/],
    ['no policy', undefined, {}, "applyPolicy: policy is required: a policy such as 'mixed_float16'; received undefined."],
    ['an override naming no layer', 'mixed_float16', {dense_9: 'float32'}, "applyPolicy: overrides names 'dense_9', which is not a layer of model 'stock_convnet'. Layers that take a policy: "],
    ['an override with a bad policy', 'mixed_float16', {hidden: 'float61'}, /^applyPolicy: overrides\['hidden'\] \(a Dense\): dtype must be a Policy or one of .*received 'float61'\.$/],
    ['an override with a non-floating policy', 'mixed_float16', {hidden: 'bool'}, /^applyPolicy: overrides\['hidden'\] \(a Dense\): dtype must be a floating policy/],
    ['an override for the input layer', 'mixed_float16', {image: 'float32'}, "applyPolicy: overrides names layer 'image', a InputLayer, which takes no dtype policy (not a policy-aware class). Layers that take one: "],
    ['overrides that are not a map', 'mixed_float16', ['hidden'], "applyPolicy: overrides must map layer names to policies, as a Map or an object such as {dense_2: 'float32'}; received [\"hidden\"]."],
  ];
  it.each(cases)('%s', (_, policy, overrides, message) => {
    const stock = stockConvnet();
    const before = {weights: weightBits(stock), classes: stock.layers.map((l) => l.constructor), tensors: tf.memory().numTensors};
    let error: Error | undefined;
    try {
      mp.applyPolicy(stock, policy as mp.PolicyName, overrides as mp.PolicyOverrides);
    } catch (e) {
      error = e as Error;
    }
    expect(error).toBeDefined();
    if (typeof message === 'string') {
      expect(error!.message.startsWith(message)).toBe(true);
    } else {
      expect(error!.message).toMatch(message);
    }
    expect(tf.memory().numTensors).toBe(before.tensors);
    expect(weightBits(stock)).toEqual(before.weights);
    expect(stock.layers.map((l) => l.constructor)).toEqual(before.classes);
    stock.dispose();
  });

  it('lists the layers that take a policy when an override names none of them', () => {
    const stock = stockMlp();
    expect(() => mp.applyPolicy(stock, 'mixed_float16', {d3: 'float32', d4: 'float32'})).toThrow(
      "applyPolicy: overrides names 'd3', 'd4', which are not layers of model 'stock_mlp'. Layers that take a policy: 'd1', 'd2'.",
    );
    stock.dispose();
  });

  it('refuses something that is not a model', () => {
    expect(() => mp.applyPolicy({} as tf.LayersModel, 'float32')).toThrow(
      'applyPolicy: model must be a tf.LayersModel (tf.sequential, tf.model, tf.loadLayersModel); received {}.',
    );
  });
});
