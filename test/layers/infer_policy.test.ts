// The experimental `infer` policies, mp.input and mp.layers.inputLayer.
import * as tf from '@tensorflow/tfjs';

import * as layers from '../../layers';
import {input} from '../../layers/input';
import {cast} from '../../src/cast/cast';
import {dtypeOf} from '../../src/logical_dtype';
import {withPolicy} from '../../src/policy/global_policy';
import {
  bits, data, expectNoTensorLeaks, expectSamePredictions, inexactValues, saveAndLoad, setSeededWeights, useCpuBackend,
} from './layer_test_utils';

useCpuBackend();
expectNoTensorLeaks();

describe('mp.input', () => {
  it.each(['float16', 'bfloat16', 'float32'] as const)('dtype %s: a float32 tfjs input carrying the logical dtype', (dtype) => {
    const x = input({shape: [3], dtype});
    expect(x.dtype).toBe('float32');
    expect(dtypeOf(x)).toBe(dtype);
  });

  it('int32 stays a tfjs int32 input', () => {
    expect(input({shape: [3], dtype: 'int32'}).dtype).toBe('int32');
  });

  it('rejects unknown dtypes', () => {
    expect(() => input({shape: [3], dtype: 'half' as never})).toThrow(/input: dtype must be one of .*received 'half'/);
  });
});

describe('infer_float32_vars, the seed example', () => {
  function seedModel(sequential: boolean): tf.LayersModel {
    return withPolicy('infer_float32_vars', () => {
      if (sequential) {
        return tf.sequential({
          layers: [
            layers.inputLayer({inputShape: [6], dtype: 'float16'}),
            layers.dense({units: 4}),
            layers.dense({units: 3}),
            layers.cast({dtype: 'float32'}),
            layers.activation({activation: 'softmax'}),
          ],
        });
      }
      const x = input({shape: [6], dtype: 'float16'});
      const h = layers.dense({units: 4}).apply(x);
      const l = layers.dense({units: 3}).apply(h);
      const y = layers.activation({activation: 'softmax'}).apply(layers.cast({dtype: 'float32'}).apply(l));
      return tf.model({inputs: x, outputs: y as tf.SymbolicTensor});
    });
  }

  it.each([
    ['tf.sequential with inputLayer', true],
    ['tf.model with mp.input', false],
  ])('%s: Dense layers compute in float16 with float32 variables, softmax in float32; fit and predict', async (_n, sequential) => {
    const model = seedModel(sequential as boolean);
    const dense = model.layers.filter((l) => l instanceof layers.Dense) as layers.Dense[];
    expect(dense.map((d) => [d.computeDtype, d.variableDtype])).toEqual([
      ['float16', 'float32'],
      ['float16', 'float32'],
    ]);
    const softmax = model.layers.find((l) => l instanceof layers.Activation) as layers.Activation;
    expect(softmax.computeDtype).toBe('float32');
    // InputLayer, Dense, Dense, Cast, Activation.
    expect(model.layers.map((l) => dtypeOf(l.output as tf.SymbolicTensor))).toEqual([
      'float16',
      'float16',
      'float16',
      'float32',
      'float32',
    ]);
    dense.forEach((d, i) => setSeededWeights(d, 5 * i));
    const optimizer = tf.train.sgd(0.2);
    model.compile({optimizer, loss: 'categoricalCrossentropy'});
    const xs = data([8, 6], 1);
    const ys = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32'), 3));
    await model.fit(xs, ys, {epochs: 2, batchSize: 4, verbose: 0});
    // Fed data carries no logical dtype: the layer still computes in the
    // float16 it inferred when the model was built.
    const hidden = dense[0]!.apply(xs) as tf.Tensor;
    expect(inexactValues(hidden.dataSync(), 'float16')).toEqual([]);
    expect(dtypeOf(hidden)).toBe('float16');
    const p = model.predict(xs) as tf.Tensor;
    tf.tidy(() => tf.sum(p, 1).dataSync()).forEach((s) => expect(Math.abs(s - 1)).toBeLessThan(1e-5));
    tf.dispose([xs, ys, hidden, p]);
    model.dispose();
    optimizer.dispose();
  });

  it('save/load: the inferred layers come back as mixed_float16 (TF 1.14 with_input_dtype) and predict the same bits', async () => {
    const model = seedModel(false);
    const loaded = await saveAndLoad(model);
    const policies = loaded.layers.filter((l) => l instanceof layers.Dense).map((l) => (l as layers.Dense).policy.name);
    expect(policies).toEqual(['mixed_float16', 'mixed_float16']);
    const xs = data([3, 6], 2);
    expectSamePredictions(model, loaded, xs);
    xs.dispose();
    model.dispose();
    loaded.dispose();
  });
});

describe('infer: the compute dtype is fixed by the first input', () => {
  it('a float32 first input gives stock float32 behaviour; later float16 input does not change it', () => {
    const layer = layers.dense({units: 3, dtype: 'infer'});
    const x = data([2, 4], 1);
    tf.dispose(layer.apply(x) as tf.Tensor);
    expect(layer.computeDtype).toBe('float32');
    expect(layer.variableDtype).toBe('float32');
    const x16 = cast(x, 'float16');
    const y = layer.apply(x16) as tf.Tensor;
    expect(dtypeOf(y)).toBe('float32');
    tf.dispose([x, x16, y]);
    layer.dispose();
  });

  it('a bfloat16 first input: bfloat16 compute and variables; later float32 input is rounded to bfloat16', () => {
    const layer = layers.conv1d({filters: 2, kernelSize: 2, dtype: 'infer'});
    const x = data([1, 5, 3], 1);
    const xb = cast(x, 'bfloat16');
    tf.dispose(layer.apply(xb) as tf.Tensor);
    expect([layer.computeDtype, layer.variableDtype]).toEqual(['bfloat16', 'bfloat16']);
    const a = layer.apply(x) as tf.Tensor;
    const b = layer.apply(xb) as tf.Tensor;
    expect(bits(a)).toEqual(bits(b));
    expect(dtypeOf(a)).toBe('bfloat16');
    tf.dispose([x, xb, a, b]);
    layer.dispose();
  });
});

describe('dtypeSummary', () => {
  it('lists policy, compute, variable and output dtypes per layer', () => {
    const x = input({shape: [4], dtype: 'float16'});
    const d = layers.dense({units: 2, dtype: 'infer_float32_vars', name: 'd1'});
    const c = layers.cast({dtype: 'float32', name: 'c1'});
    const model = tf.model({inputs: x, outputs: c.apply(d.apply(x)) as tf.SymbolicTensor});
    const printed: string[] = [];
    const lines = layers.dtypeSummary(model, (l) => printed.push(l));
    expect(printed).toEqual(lines);
    expect(lines[0]).toMatch(/^Layer \(type\)\s+Policy\s+Compute\s+Variables\s+Output$/);
    expect(lines[3]).toMatch(/^d1 \(Dense\)\s+infer_float32_vars\s+float16\s+float32\s+float16$/);
    expect(lines[4]).toMatch(/^c1 \(Cast\)\s+-\s+cast to float32\s+-\s+float32$/);
    model.dispose();
  });
});

it('a first apply rejected before building does not fix the inferred dtype', () => {
  // Conv1D checks the input rank (ndim 3) before it builds.
  const layer = layers.conv1d({filters: 1, kernelSize: 2, dtype: 'infer'});
  const bad = tf.zeros([2, 3]);
  const x0 = data([1, 3, 1], 2);
  const x = cast(x0, 'float16');
  expect(() => layer.apply(bad)).toThrow(/expected ndim=3, found ndim=2/);
  expect(layer.computeDtype).toBeNull();
  const y = layer.apply(x) as tf.Tensor;
  expect(layer.computeDtype).toBe('float16');
  tf.dispose([bad, x0, x, y]);
  layer.dispose();
});
