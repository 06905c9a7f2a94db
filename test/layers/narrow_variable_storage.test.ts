// float16/bfloat16 policies store their variables rounded, on every write.
import * as tf from '@tensorflow/tfjs';

import * as layers from '../../layers';
import {storedDtypeOf} from '../../layers/narrow_variable_storage';
import {data, expectNoTensorLeaks, inexactValues, useCpuBackend} from './layer_test_utils';

useCpuBackend();
expectNoTensorLeaks();

function built(policy: string): layers.Dense {
  const layer = layers.dense({units: 1, useBias: false, dtype: policy as never});
  const x = tf.ones([1, 1]);
  tf.dispose(layer.apply(x) as tf.Tensor);
  x.dispose();
  return layer;
}

describe.each([
  ['float16', 1 + 2 ** -10, 2 ** -12],
  ['bfloat16', 1 + 2 ** -7, 2 ** -9],
])('%s policy', (policy, ulpAboveOne, quarterUlp) => {
  it('rounds values written with setWeights', () => {
    const layer = built(policy);
    expect(storedDtypeOf(layer.weights[0]!)).toBe(policy);
    const w = tf.tensor2d([[1 + quarterUlp * 3]]);
    layer.setWeights([w]);
    expect(Array.from(layer.getWeights()[0]!.dataSync())).toEqual([ulpAboveOne]);
    w.dispose();
    layer.dispose();
  });

  it('loses an optimizer update smaller than half an ulp, as real half-precision storage does', () => {
    const layer = built(policy);
    const one = tf.tensor2d([[1]]);
    layer.setWeights([one]);
    const v = layer.trainableWeights[0]!.read() as tf.Variable;
    const optimizer = tf.train.sgd(1);
    // d(loss)/dw = -quarterUlp: w += quarterUlp, below half an ulp of 1.
    const x = tf.ones([1, 1]);
    optimizer.minimize(() => tf.mul(tf.sum(layer.apply(x) as tf.Tensor), -quarterUlp) as tf.Scalar, false, [v]);
    expect(Array.from(v.dataSync())).toEqual([1]);
    // The same update under mixed precision accumulates in the float32 master.
    const mixed = built(policy === 'float16' ? 'mixed_float16' : 'mixed_bfloat16');
    mixed.setWeights([one]);
    const mv = mixed.trainableWeights[0]!.read() as tf.Variable;
    optimizer.minimize(() => tf.mul(tf.sum(mixed.apply(x) as tf.Tensor), -quarterUlp) as tf.Scalar, false, [mv]);
    expect(Array.from(mv.dataSync())).toEqual([1 + quarterUlp]);
    tf.dispose([one, x]);
    optimizer.dispose();
    layer.dispose();
    mixed.dispose();
  });

  it('keeps every weight exact in its dtype through fit', async () => {
    const model = tf.sequential({layers: [layers.dense({units: 3, inputShape: [4], dtype: policy as never})]});
    const optimizer = tf.train.adam(0.01);
    model.compile({optimizer, loss: 'meanSquaredError'});
    const x = data([8, 4], 1);
    const y = data([8, 3], 2);
    await model.fit(x, y, {epochs: 2, batchSize: 4, verbose: 0});
    for (const w of model.getWeights()) {
      expect(inexactValues(w.dataSync(), policy as 'float16')).toEqual([]);
    }
    tf.dispose([x, y]);
    model.dispose();
    optimizer.dispose();
  });
});

it('mixed policies leave variables unrounded', () => {
  const layer = built('mixed_float16');
  expect(storedDtypeOf(layer.weights[0]!)).toBe('float32');
  layer.dispose();
});
