// Policy layers inside tf.sequential / tf.model, trained every way tfjs offers.
import * as tf from '@tensorflow/tfjs';

import * as layers from '../../layers';
import {input} from '../../layers/input';
import {dtypeOf} from '../../src/logical_dtype';
import {withPolicy} from '../../src/policy/global_policy';
import {data, expectNoTensorLeaks, inexactValues, setSeededWeights, useCpuBackend} from './layer_test_utils';

useCpuBackend();
expectNoTensorLeaks();

function mlp(policy: string): tf.Sequential {
  return withPolicy(policy, () =>
    tf.sequential({
      layers: [
        layers.dense({units: 8, activation: 'relu', inputShape: [6]}),
        layers.dense({units: 4}),
        layers.activation({activation: 'softmax', dtype: 'float32'}),
      ],
    }),
  );
}

function convnet(policy: string): tf.LayersModel {
  return withPolicy(policy, () => {
    const x = input({shape: [6, 6, 1]});
    let y = layers.conv2d({filters: 2, kernelSize: 3, activation: 'relu'}).apply(x) as tf.SymbolicTensor;
    y = tf.layers.maxPooling2d({poolSize: 2}).apply(y) as tf.SymbolicTensor;
    y = tf.layers.flatten().apply(y) as tf.SymbolicTensor;
    y = layers.dense({units: 3}).apply(y) as tf.SymbolicTensor;
    y = layers.activation({activation: 'softmax', dtype: 'float32'}).apply(y) as tf.SymbolicTensor;
    return tf.model({inputs: x, outputs: y});
  });
}

describe.each(['float32', 'mixed_float16', 'mixed_bfloat16'])('under %s', (policy) => {
  it('tf.sequential: fit, evaluate, predict and trainOnBatch work and update float32 variables', async () => {
    const model = mlp(policy);
    model.layers.forEach((l, i) => setSeededWeights(l, 10 * i));
    const optimizer = tf.train.adam(0.01);
    model.compile({optimizer, loss: 'categoricalCrossentropy'});
    const x = data([16, 6], 1);
    const y = tf.tidy(() => tf.oneHot(tf.argMax(data([16, 4], 2), 1), 4));
    const before = model.getWeights().map((w) => w.dataSync().slice());
    const history = await model.fit(x, y, {epochs: 4, batchSize: 8, verbose: 0});
    const losses = history.history['loss'] as number[];
    expect((losses[3] as number) < (losses[0] as number)).toBe(true);
    const evaluated = model.evaluate(x, y) as tf.Scalar;
    expect(Number.isFinite(evaluated.dataSync()[0])).toBe(true);
    const batchLoss = (await model.trainOnBatch(x, y)) as number;
    expect(Number.isFinite(batchLoss)).toBe(true);
    const p = model.predict(x) as tf.Tensor;
    expect(p.shape).toEqual([16, 4]);
    const rowSums = tf.tidy(() => tf.sum(p, 1).dataSync());
    rowSums.forEach((s) => expect(Math.abs(s - 1)).toBeLessThan(1e-5));
    model.getWeights().forEach((w, i) => {
      expect(w.dtype).toBe('float32');
      expect(Array.from(w.dataSync())).not.toEqual(Array.from(before[i] as Float32Array));
    });
    tf.dispose([x, y, evaluated, p]);
    model.dispose();
    optimizer.dispose();
  });

  it('tf.model convnet: fit and predict, float16 inside, float32 softmax out', async () => {
    const model = convnet(policy);
    const optimizer = tf.train.sgd(0.1);
    model.compile({optimizer, loss: 'categoricalCrossentropy'});
    const x = data([4, 6, 6, 1], 3);
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 2, 1], 'int32'), 3));
    await model.fit(x, y, {epochs: 2, batchSize: 2, verbose: 0});
    const conv = model.layers[1] as layers.Conv2D;
    const hidden = conv.apply(x) as tf.Tensor;
    const expected = policy === 'float32' ? 'float32' : policy === 'mixed_float16' ? 'float16' : 'bfloat16';
    expect(dtypeOf(hidden)).toBe(expected);
    expect(inexactValues(hidden.dataSync(), expected)).toEqual([]);
    expect(dtypeOf(model.outputs[0] as tf.SymbolicTensor)).toBe('float32');
    expect(dtypeOf(model.layers[1]!.output as tf.SymbolicTensor)).toBe(expected);
    tf.dispose([x, y, hidden]);
    model.dispose();
    optimizer.dispose();
  });

  it('custom loops: tf.variableGrads gives compute-dtype gradients; optimizer.minimize updates', () => {
    const model = mlp(policy);
    model.layers.forEach((l, i) => setSeededWeights(l, 10 * i));
    const x = data([8, 6], 4);
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 2, 3, 0, 1, 2, 3], 'int32'), 4));
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const loss = () => tf.losses.softmaxCrossEntropy(y, model.apply(x) as tf.Tensor) as tf.Scalar;
    const {value, grads} = tf.variableGrads(loss, vars);
    const compute = policy === 'float32' ? 'float32' : policy === 'mixed_float16' ? 'float16' : 'bfloat16';
    for (const v of vars) {
      const g = (grads[v.name] as tf.Tensor).dataSync();
      expect(g.some((e) => e !== 0)).toBe(true);
      expect(inexactValues(g, compute)).toEqual([]);
    }
    const optimizer = tf.train.sgd(0.5);
    const before = vars.map((v) => v.dataSync().slice());
    const cost = optimizer.minimize(loss, true, vars) as tf.Scalar;
    expect(cost.dataSync()[0]).toBeCloseTo(value.dataSync()[0] as number, 6);
    vars.forEach((v, i) => expect(Array.from(v.dataSync())).not.toEqual(Array.from(before[i] as Float32Array)));
    tf.dispose([x, y, value, cost, ...Object.values(grads)]);
    model.dispose();
    optimizer.dispose();
  });
});

describe('regularizers and constraints', () => {
  it('a regularizer penalizes the float32 variable, not its float16 cast', () => {
    const dense = layers.dense({units: 3, dtype: 'mixed_float16', kernelRegularizer: tf.regularizers.l2({l2: 0.5})});
    const x = data([2, 5], 1);
    tf.dispose(dense.apply(x) as tf.Tensor);
    setSeededWeights(dense, 3);
    const kernel = dense.getWeights()[0] as tf.Tensor;
    const [penalty, expected] = tf.tidy(() => {
      const fns = dense.losses as unknown as Array<() => tf.Scalar>;
      expect(fns.length).toBe(1);
      return [(fns[0] as () => tf.Scalar)(), tf.mul(0.5, tf.sum(tf.square(kernel)))];
    });
    expect(penalty.dataSync()[0]).toBe(expected.dataSync()[0]);
    expect(inexactValues(kernel.dataSync(), 'float16').length).toBeGreaterThan(0);
    tf.dispose([x, penalty, expected]);
    dense.dispose();
  });

  it('a constraint applies to the float32 variable when written (tfjs applies constraints on write)', () => {
    const dense = layers.dense({units: 2, dtype: 'mixed_float16', kernelConstraint: 'nonNeg'});
    const x = data([1, 2], 1);
    tf.dispose(dense.apply(x) as tf.Tensor);
    const kernel = tf.tensor2d([[-1, 0.1], [0.3, -0.2]]);
    const bias = tf.zeros([2]);
    dense.setWeights([kernel, bias]);
    const stored = dense.getWeights()[0] as tf.Tensor;
    // 0.1 and 0.3 keep float32 precision: no rounding to float16 happened.
    expect(Array.from(stored.dataSync())).toEqual([0, Math.fround(0.1), Math.fround(0.3), 0]);
    tf.dispose([x, kernel, bias]);
    dense.dispose();
  });
});
