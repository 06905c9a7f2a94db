import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import {LOSS_SCALE_WEIGHT_NAMES, LossScaleOptimizer} from '../../src/loss_scale/loss_scale_optimizer';
import {OPTIMIZER_CASES, disposeAllVariables} from './optimizer_cases';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => disposeAllVariables());

function deepFreeze<T>(o: T): T {
  if (o !== null && typeof o === 'object') {
    Object.values(o).forEach(deepFreeze);
    Object.freeze(o);
  }
  return o;
}

function registeredFromConfig(config: tf.serialization.ConfigDict): LossScaleOptimizer {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap['LossScaleOptimizer'];
  expect(entry).toBeDefined();
  const [cls, fromConfig] = entry!;
  return fromConfig(cls, config) as unknown as LossScaleOptimizer;
}

describe('getConfig / fromConfig', () => {
  test.each(OPTIMIZER_CASES)('%s: the whole config round-trips through the registry', (_name, make) => {
    const lso = new LossScaleOptimizer(make(), {initialScale: 512, dynamicGrowthSteps: 7, growthFactor: 4, backoffFactor: 0.25, minScale: 2, maxScale: 2 ** 20});
    const config = deepFreeze(lso.getConfig());
    const copy = registeredFromConfig(config);
    expect(copy).toBeInstanceOf(LossScaleOptimizer);
    expect(copy.getConfig()).toEqual(config);
    expect(copy.innerOptimizer.getClassName()).toBe(lso.innerOptimizer.getClassName());
    expect(copy.lossScale).toBe(512);
  });

  test('the config nests the inner optimizer as {className, config}', () => {
    const lso = new LossScaleOptimizer(tf.train.adam(0.5, 0.8, 0.9, 1e-4));
    expect(lso.getConfig()).toEqual({
      innerOptimizer: {className: 'Adam', config: {learningRate: 0.5, beta1: 0.8, beta2: 0.9, epsilon: 1e-4}},
      dynamic: true,
      initialScale: 32768,
      dynamicGrowthSteps: 2000,
      growthFactor: 2,
      backoffFactor: 0.5,
      minScale: 1,
      maxScale: 3.4028234663852886e38,
    });
  });

  test('a fixed scale writes only what it uses, and round-trips', () => {
    const lso = new LossScaleOptimizer(tf.train.sgd(0.1), {dynamic: false, initialScale: 64});
    const config = lso.getConfig();
    expect(config).toEqual({innerOptimizer: {className: 'SGD', config: {learningRate: 0.1}}, dynamic: false, initialScale: 64});
    expect(registeredFromConfig(config).getConfig()).toEqual(config);
  });

  test("tfjs's loader adds customObjects to configs: ignored", () => {
    const config = {...new LossScaleOptimizer(tf.train.sgd(0.1)).getConfig(), customObjects: {}};
    expect(registeredFromConfig(config).lossScale).toBe(32768);
  });

  const BAD: [string, tf.serialization.ConfigDict, RegExp][] = [
    ['no innerOptimizer', {dynamic: true}, /inner_optimizer must be a serialized optimizer \{class_name, config\}; received undefined/],
    ['unknown inner class', {innerOptimizer: {className: 'Lion', config: {}}}, /inner_optimizer: unknown optimizer class 'Lion'\. Registered optimizer classes: .*Adam.*; register a custom one with tf\.serialization\.registerClass/],
    ['inner class toString', {innerOptimizer: {className: 'toString', config: {}}}, /inner_optimizer: unknown optimizer class 'toString'\. Registered/],
    ['inner class constructor', {innerOptimizer: {className: 'constructor', config: {}}}, /inner_optimizer: unknown optimizer class 'constructor'\. Registered/],
    ['inner not an object', {innerOptimizer: 'adam'}, /inner_optimizer must be a serialized optimizer \{class_name, config\}; received 'adam'/],
    ['bad option', {innerOptimizer: {className: 'SGD', config: {learningRate: 1}}, initialScale: -1}, /initialScale must be a positive/],
    ['registered class that is not an optimizer', {innerOptimizer: {className: 'Dense', config: {units: 1}}}, /class 'Dense' is registered but is not a tf\.Optimizer/],
  ];
  test.each(BAD)('refuses %s', (_name, config, message) => {
    expect(() => registeredFromConfig(config)).toThrow(message);
  });
});

describe('weights', () => {
  test('getWeights puts the scale and counter in front of the inner weights, without leaking', async () => {
    const v = tf.variable(tf.tensor1d([1, 2]), true, 'w');
    const lso = new LossScaleOptimizer(tf.train.momentum(0.1, 0.9), {initialScale: 16, dynamicGrowthSteps: 5});
    lso.minimize(() => tf.sum(tf.square(v)) as tf.Scalar);
    lso.minimize(() => tf.sum(tf.square(v)) as tf.Scalar);
    const first = await lso.getWeights();
    const count = tf.memory().numTensors;
    const weights = await lso.getWeights();
    // Only the inner optimizer's fresh iteration scalar (a tfjs habit) is new.
    expect(tf.memory().numTensors).toBe(count + 1);
    expect(weights.map((w) => w.name)).toEqual([...LOSS_SCALE_WEIGHT_NAMES, 'iter', 'w/momentum']);
    expect(weights[0]!.tensor.dtype).toBe('float32');
    expect(weights[1]!.tensor.dtype).toBe('int32');
    expect(weights[0]!.tensor.dataSync()[0]).toBe(16);
    expect(weights[1]!.tensor.dataSync()[0]).toBe(2);
    tf.dispose([first[2]!.tensor, weights[2]!.tensor]);
    lso.dispose();
  });

  test('setWeights restores the scale, the counter and the inner state', async () => {
    const v = tf.variable(tf.tensor1d([1, 2]), true, 'w');
    const src = new LossScaleOptimizer(tf.train.adam(0.1), {initialScale: 16, dynamicGrowthSteps: 5});
    for (let i = 0; i < 3; i++) {
      src.minimize(() => tf.sum(tf.square(v)) as tf.Scalar);
    }
    src.minimize(() => tf.sum(tf.mul(v, NaN)) as tf.Scalar);
    const dst = new LossScaleOptimizer(tf.train.adam(0.1), {initialScale: 16, dynamicGrowthSteps: 5});
    await dst.setWeights(await src.getWeights());
    expect([dst.lossScale, dst.goodSteps, dst.iterations]).toEqual([8, 0, 3]);
    const [a, b] = [await src.getWeights(), await dst.getWeights()];
    expect(b.map((w) => w.name)).toEqual(a.map((w) => w.name));
    b.forEach((w, i) => expect(Array.from(w.tensor.dataSync())).toEqual(Array.from(a[i]!.tensor.dataSync())));
  });

  test('setWeights refuses weights that are not ours, and changes nothing', async () => {
    const lso = new LossScaleOptimizer(tf.train.sgd(0.1), {initialScale: 16});
    const iter = tf.scalar(5, 'int32');
    await expect(lso.setWeights([{name: 'iter', tensor: iter}])).rejects.toThrow(
      /setWeights expects the weights written by LossScaleOptimizer\.getWeights\(\), starting with 'LossScaleOptimizer\/current_loss_scale', 'LossScaleOptimizer\/good_steps'; received names \["iter"\]\. Weights saved from the bare inner optimizer belong to innerOptimizer\.setWeights\(\)/,
    );
    const badScale = [
      {name: LOSS_SCALE_WEIGHT_NAMES[0], tensor: tf.scalar(Infinity)},
      {name: LOSS_SCALE_WEIGHT_NAMES[1], tensor: tf.scalar(0, 'int32')},
      {name: 'iter', tensor: iter},
    ];
    await expect(lso.setWeights(badScale)).rejects.toThrow(/current_loss_scale must be a positive finite scalar; received Infinity/);
    expect([lso.lossScale, lso.iterations]).toEqual([16, 0]);
  });

  // The scale and the counter are scalars; a vector's first entry is not taken for one.
  test.each([
    ['a vector as the loss scale', [tf.tensor1d([8, 4, 2]), tf.scalar(3, 'int32')],
      "LossScaleOptimizer.setWeights: LossScaleOptimizer/current_loss_scale must be a scalar tensor (shape []); received a tensor of dtype 'float32' and shape [3]."],
    ['a [1] tensor as the loss scale', [tf.tensor1d([8]), tf.scalar(3, 'int32')],
      "LossScaleOptimizer.setWeights: LossScaleOptimizer/current_loss_scale must be a scalar tensor (shape []); received a tensor of dtype 'float32' and shape [1]."],
    ['a vector as the counter', [tf.scalar(8), tf.tensor1d([3, 1], 'int32')],
      "LossScaleOptimizer.setWeights: LossScaleOptimizer/good_steps must be a scalar tensor (shape []); received a tensor of dtype 'int32' and shape [2]."],
    ['a number as the loss scale', [8, tf.scalar(3, 'int32')],
      'LossScaleOptimizer.setWeights: LossScaleOptimizer/current_loss_scale must be a scalar tensor (shape []); received 8.'],
  ] as [string, unknown[], string][])('setWeights refuses %s, and changes nothing', async (_name, [scale, steps], message) => {
    const lso = new LossScaleOptimizer(tf.train.sgd(0.1), {initialScale: 16});
    const iter = tf.scalar(0, 'int32');
    const weights = [
      {name: LOSS_SCALE_WEIGHT_NAMES[0], tensor: scale as tf.Tensor},
      {name: LOSS_SCALE_WEIGHT_NAMES[1], tensor: steps as tf.Tensor},
      {name: 'iter', tensor: iter},
    ];
    await expect(lso.setWeights(weights)).rejects.toThrow(message);
    expect([lso.lossScale, lso.goodSteps, lso.iterations]).toEqual([16, 0, 0]);
    tf.dispose([scale as tf.Tensor, steps as tf.Tensor, iter].filter((t) => t instanceof tf.Tensor));
    lso.dispose();
  });

  test('setWeights refuses something that is not a list', async () => {
    const lso = new LossScaleOptimizer(tf.train.sgd(0.1));
    await expect(lso.setWeights({} as never)).rejects.toThrow(
      'LossScaleOptimizer.setWeights expects the [{name, tensor}] list LossScaleOptimizer.getWeights() returns; received {}.',
    );
    lso.dispose();
  });
});

describe('model.save with includeOptimizer, tf.loadLayersModel, resume', () => {
  async function saveToMemory(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON'}};
      }),
      {includeOptimizer: true},
    );
    return artifacts!;
  }

  function makeModel(optimizer: tf.Optimizer): tf.Sequential {
    const model = tf.sequential({layers: [tf.layers.dense({units: 2, inputShape: [3], kernelInitializer: 'ones'}), tf.layers.dense({units: 1, kernelInitializer: 'ones'})]});
    model.compile({optimizer, loss: 'meanSquaredError'});
    return model;
  }

  const xs = () => tf.tensor2d([[0.1, 0.2, 0.3], [0.3, -0.1, 0.2], [-0.2, 0.4, 0.1], [0.5, 0.5, -0.5]]);
  const ys = () => tf.tensor2d([[0.1], [0.2], [-0.3], [0.4]]);

  test.each([
    ['momentum', () => tf.train.momentum(0.05, 0.9)],
    ['adam', () => tf.train.adam(0.01)],
  ])('%s: the loaded model resumes with the same scale, counter and inner state', async (_name, make) => {
    const [x, y] = [xs(), ys()];
    const lso = new LossScaleOptimizer(make(), {initialScale: 64, dynamicGrowthSteps: 3});
    const model = makeModel(lso);
    // 4 batches: growth after 3 (64 -> 128), then 1 good step.
    await model.fit(x, y, {batchSize: 1, epochs: 1, shuffle: false, verbose: 0});
    expect([lso.lossScale, lso.goodSteps]).toEqual([128, 1]);

    const artifacts = await saveToMemory(model);
    expect((artifacts.trainingConfig?.optimizer_config as {class_name: string}).class_name).toBe('LossScaleOptimizer');
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
    const opt = loaded.optimizer as LossScaleOptimizer;
    expect(opt).toBeInstanceOf(LossScaleOptimizer);
    expect([opt.lossScale, opt.goodSteps, opt.iterations]).toEqual([128, 1, 4]);
    expect(opt.getConfig()).toEqual(lso.getConfig());

    // Both continue identically: 2 more good steps reach the growth period.
    const scales: number[] = [];
    for (const m of [model, loaded]) {
      await m.fit(x, y, {batchSize: 2, epochs: 1, shuffle: false, verbose: 0});
      scales.push((m.optimizer as LossScaleOptimizer).lossScale);
    }
    expect(scales).toEqual([256, 256]);
    const w0 = model.getWeights().map((w) => Array.from(w.dataSync()));
    const w1 = loaded.getWeights().map((w) => Array.from(w.dataSync()));
    w0.forEach((w, i) => w.forEach((value, j) => expect(w1[i]![j]).toBeCloseTo(value, 6)));
    model.dispose();
    loaded.dispose();
    tf.dispose([x, y]);
  });

  test('a fixed scale survives the round trip', async () => {
    const lso = new LossScaleOptimizer(tf.train.sgd(0.01), {dynamic: false, initialScale: 256});
    const model = makeModel(lso);
    const [x, y] = [xs(), ys()];
    await model.fit(x, y, {batchSize: 4, verbose: 0});
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(await saveToMemory(model)));
    const opt = loaded.optimizer as LossScaleOptimizer;
    expect([opt.dynamic, opt.lossScale, opt.iterations]).toEqual([false, 256, 1]);
    model.dispose();
    loaded.dispose();
    tf.dispose([x, y]);
  });
});

describe('a Keras-converted model whose training_config holds a Keras LossScaleOptimizer', () => {
  test('tf.loadLayersModel builds our optimizer from the Keras 2 config (SGD with momentum -> Momentum)', async () => {
    const dir = path.join(__dirname, '..', 'fixtures', 'keras-models', 'keras2.4-linear');
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
    const bin = fs.readFileSync(path.join(dir, 'group1-shard1of1.bin'));
    const trainingConfig = {
      loss: 'mean_squared_error',
      metrics: null,
      optimizer_config: {
        class_name: 'LossScaleOptimizer',
        config: {
          inner_optimizer: {class_name: 'SGD', config: {name: 'SGD', learning_rate: 0.01, decay: 0.0, momentum: 0.9, nesterov: false}},
          dynamic: true,
          initial_scale: 32768.0,
          dynamic_growth_steps: 2000,
        },
      },
    };
    const model = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest[0].weights,
        weightData: new Uint8Array(bin).buffer,
        trainingConfig: trainingConfig as unknown as tf.io.TrainingConfig,
      }),
    );
    const opt = model.optimizer as LossScaleOptimizer;
    expect(opt).toBeInstanceOf(LossScaleOptimizer);
    expect(opt.getConfig()).toMatchObject({
      innerOptimizer: {className: 'Momentum', config: {learningRate: 0.01, momentum: 0.9, useNesterov: false}},
      dynamic: true,
      initialScale: 32768,
      dynamicGrowthSteps: 2000,
    });
    const [x, y] = [tf.tensor2d([[1], [2]]), tf.tensor2d([[1], [3]])];
    const history = await model.fit(x, y, {verbose: 0});
    expect(history.history['lossScale']).toEqual([32768]);
    expect(opt.iterations).toBe(1);
    model.dispose();
    tf.dispose([x, y]);
  });
});
