import * as tf from '@tensorflow/tfjs';

import * as mp from '../../src';
import {fileSystem} from '../../src/io/file_system';
import {makeTempDir} from '../io/temp_dir';
import {expectNoTensorLeaks, useCpuBackend} from '../layers/layer_test_utils';

useCpuBackend();

let info: jest.SpyInstance;
beforeEach(() => {
  info = jest.spyOn(console, 'info').mockImplementation(() => undefined);
});
afterEach(() => info.mockRestore());

function mlp(policy: mp.PolicyName | null, lastPolicy: mp.PolicyName | null = policy, name?: string): tf.LayersModel {
  return mp.withPolicy(policy, () =>
    tf.sequential({
      name,
      layers: [
        mp.layers.dense({units: 4, inputShape: [3], activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({seed: 1})}),
        mp.layers.dense({units: 1, dtype: lastPolicy, kernelInitializer: tf.initializers.glorotUniform({seed: 2})}),
      ],
    }),
  );
}

function disposeAll(model: tf.LayersModel): void {
  const optimizer = model.optimizer;
  model.dispose();
  optimizer?.dispose();
}

describe('compile wraps the optimizer of a mixed_float16 model, as Keras does', () => {
  expectNoTensorLeaks();

  it('wraps a given optimizer in a dynamic LossScaleOptimizer and logs it once', () => {
    const sgd = tf.train.sgd(0.1);
    const model = mlp('mixed_float16', 'mixed_float16', 'auto_wrap_model');
    model.compile({optimizer: sgd, loss: 'meanSquaredError'});
    expect(mp.isLossScaleOptimizer(model.optimizer)).toBe(true);
    const lso = model.optimizer as mp.LossScaleOptimizer;
    expect(lso.innerOptimizer).toBe(sgd);
    expect(lso.dynamic).toBe(true);
    expect(lso.lossScale).toBe(mp.DEFAULT_LOSS_SCALE_OPTIONS.initialScale);
    expect(info.mock.calls).toEqual([
      [
        'tfjs-mixed-precision: compile wrapped the SGD optimizer of a model with mixed_float16 layers in a ' +
          'dynamic LossScaleOptimizer, as Keras does (model.optimizer.innerOptimizer is yours). ' +
          'Opt out with model.compile({..., autoScaleLoss: false}). Logged once.',
      ],
    ]);
    const again = mlp('mixed_float16');
    again.compile({optimizer: 'adam', loss: 'meanSquaredError'});
    expect((again.optimizer as mp.LossScaleOptimizer).innerOptimizer.getClassName()).toBe('Adam');
    expect(info).toHaveBeenCalledTimes(1);
    disposeAll(model);
    again.dispose();
  });

  it('wraps when only some layers are mixed_float16 (the last kept float32)', () => {
    const model = mlp('mixed_float16', 'float32');
    model.compile({optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError'});
    expect(mp.isLossScaleOptimizer(model.optimizer)).toBe(true);
    disposeAll(model);
  });

  it('wraps for mixed_float16 layers inside a nested model', () => {
    const inner = mlp('mixed_float16');
    const input = tf.input({shape: [3]});
    const outer = tf.model({inputs: input, outputs: inner.apply(input) as tf.SymbolicTensor});
    expect(mp.usesLossScaling(outer)).toBe(true);
    outer.compile({optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError'});
    expect(mp.isLossScaleOptimizer(outer.optimizer)).toBe(true);
    disposeAll(outer);
  });

  it.each([
    ['a float32 model', 'float32'],
    ['a mixed_bfloat16 model (no loss scaling needed)', 'mixed_bfloat16'],
    ['a pure float16 model (Keras wraps only mixed_float16)', 'float16'],
  ] as Array<[string, mp.PolicyName]>)('leaves %s alone', (_, policy) => {
    const sgd = tf.train.sgd(0.1);
    const model = mlp(policy);
    model.compile({optimizer: sgd, loss: 'meanSquaredError'});
    expect(model.optimizer).toBe(sgd);
    expect(mp.usesLossScaling(model)).toBe(false);
    expect(info).not.toHaveBeenCalled();
    disposeAll(model);
  });

  it('leaves a stock tfjs model alone, whatever the global policy', () => {
    const model = mp.withPolicy('mixed_float16', () =>
      tf.sequential({layers: [tf.layers.dense({units: 1, inputShape: [3]})]}),
    );
    const sgd = tf.train.sgd(0.1);
    model.compile({optimizer: sgd, loss: 'meanSquaredError'});
    expect(model.optimizer).toBe(sgd);
    disposeAll(model);
  });

  it('keeps a LossScaleOptimizer it is given (never wraps one in another)', () => {
    const lso = new mp.LossScaleOptimizer(tf.train.sgd(0.1), {dynamic: false, initialScale: 128});
    const model = mlp('mixed_float16');
    model.compile({optimizer: lso, loss: 'meanSquaredError'});
    expect(model.optimizer).toBe(lso);
    expect(info).not.toHaveBeenCalled();
    disposeAll(model);
  });

  it('compiling again with the same optimizer (the same model or another) reuses its wrapper and loss scale', () => {
    const sgd = tf.train.sgd(0.1);
    const model = mlp('mixed_float16');
    model.compile({optimizer: sgd, loss: 'meanSquaredError'});
    const first = model.optimizer as mp.LossScaleOptimizer;
    model.compile({optimizer: sgd, loss: 'meanAbsoluteError'});
    expect(model.optimizer).toBe(first);
    const other = mlp('mixed_float16');
    other.compile({optimizer: sgd, loss: 'meanSquaredError'});
    expect(other.optimizer).toBe(first);
    expect(first.innerOptimizer).toBe(sgd);
    other.dispose();
    disposeAll(model);
  });

  it('opts out with autoScaleLoss: false (Keras 3: auto_scale_loss=False)', () => {
    const sgd = tf.train.sgd(0.1);
    const model = mlp('mixed_float16');
    model.compile({optimizer: sgd, loss: 'meanSquaredError', autoScaleLoss: false});
    expect(model.optimizer).toBe(sgd);
    disposeAll(model);
  });

  it('refuses a non-boolean autoScaleLoss before compiling anything', () => {
    const model = mlp('mixed_float16');
    expect(() => model.compile({optimizer: 'sgd', loss: 'meanSquaredError', autoScaleLoss: 'no' as unknown as boolean})).toThrow(
      "compile: autoScaleLoss must be true or false (default true: wrap the optimizer of a mixed_float16 model " +
        "in a LossScaleOptimizer); received 'no'.",
    );
    expect(model.optimizer).toBeUndefined();
    model.dispose();
  });

  it('trains with model.fit: callbacks see the loss scale, the inner optimizer steps', async () => {
    const model = mlp('mixed_float16');
    model.compile({optimizer: tf.train.sgd(0.05), loss: 'meanSquaredError'});
    const xs = tf.tensor2d([[0.1, 0.2, 0.3], [0.4, -0.5, 0.6], [-0.7, 0.8, 0.9], [0.1, -0.1, 0.2]]);
    const ys = tf.tensor2d([[0.5], [-0.25], [1], [0]]);
    const before = model.getWeights().map((w) => Array.from(w.dataSync()));
    const scales: unknown[] = [];
    const history = await model.fit(xs, ys, {
      epochs: 3,
      batchSize: 2,
      shuffle: false,
      verbose: 0,
      callbacks: {onBatchEnd: async (_b, logs) => void scales.push(logs?.['lossScale'])},
    });
    expect(scales).toHaveLength(6);
    expect(scales.every((s) => typeof s === 'number' && s >= 1)).toBe(true);
    const lso = model.optimizer as mp.LossScaleOptimizer;
    expect(lso.iterations + lso.skippedSteps).toBe(6);
    expect(lso.iterations).toBeGreaterThan(0);
    expect(model.getWeights().map((w) => Array.from(w.dataSync()))).not.toEqual(before);
    expect(history.history['loss']!.every((l) => Number.isFinite(l as number))).toBe(true);
    tf.dispose([xs, ys]);
    disposeAll(model);
  });

  it('applies to a mixed model loaded by mp.loadLayersModel and compiled there', async () => {
    const dir = makeTempDir();
    const model = mlp('mixed_float16');
    await model.save(fileSystem(dir));
    model.dispose();
    const loaded = await mp.loadLayersModel(dir);
    loaded.compile({optimizer: tf.train.adam(0.01), loss: 'meanSquaredError'});
    expect(mp.isLossScaleOptimizer(loaded.optimizer)).toBe(true);
    disposeAll(loaded);
  });
});

describe('saving a wrapped optimizer', () => {
  it('a model saved with its wrapped optimizer loads with it, not wrapped twice', async () => {
    const before = tf.memory().numTensors;
    const dir = makeTempDir();
    const model = mlp('mixed_float16');
    model.compile({optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError'});
    await model.save(fileSystem(dir), {includeOptimizer: true});
    const loaded = await mp.loadLayersModel(dir);
    const lso = loaded.optimizer as mp.LossScaleOptimizer;
    expect(mp.isLossScaleOptimizer(lso)).toBe(true);
    expect(lso.innerOptimizer.getClassName()).toBe('SGD');
    disposeAll(model);
    disposeAll(loaded);
    // tfjs's own save leaks the iterations scalar of optimizer.getWeights().
    expect(tf.memory().numTensors).toBe(before + 1);
  });
});

describe('loading a saved training config', () => {
  // The config names the optimizer the model trained with: loading restores
  // it and its state, not a wrapper around it.
  it.each([
    ['mp.loadLayersModel', (dir: string) => mp.loadLayersModel(dir)],
    ['tf.loadLayersModel', (dir: string) => tf.loadLayersModel(fileSystem(dir))],
  ])('a mixed_float16 model saved with a plain Adam (opted out) loads with that Adam and its state (%s)', async (_, load) => {
    const before = tf.memory().numTensors;
    const dir = makeTempDir();
    const model = mlp('mixed_float16');
    model.compile({optimizer: tf.train.adam(0.01), loss: 'meanSquaredError', autoScaleLoss: false});
    const [xs, ys] = [tf.ones([4, 3]), tf.zeros([4, 1])];
    await model.fit(xs, ys, {epochs: 2, verbose: 0});
    await model.save(fileSystem(dir), {includeOptimizer: true});
    const loaded = await load(dir);
    expect(loaded.optimizer.getClassName()).toBe('Adam');
    const saved = await model.optimizer.getWeights();
    const restored = await loaded.optimizer.getWeights();
    expect(restored.map((w) => w.name)).toEqual(saved.map((w) => w.name));
    expect(restored.map((w) => Array.from(w.tensor.dataSync()))).toEqual(saved.map((w) => Array.from(w.tensor.dataSync())));
    expect(info).not.toHaveBeenCalled();
    tf.dispose([xs, ys, ...saved.map((w) => w.tensor), ...restored.map((w) => w.tensor)]);
    disposeAll(model);
    disposeAll(loaded);
    // tfjs's own save leaks the iterations scalar of optimizer.getWeights().
    expect(tf.memory().numTensors).toBe(before + 1);
  });
});
