// The Cast layer, and integer inputs to policy layers that accept them.
import * as tf from '@tensorflow/tfjs';

import * as layers from '../../layers';
import {input} from '../../layers/input';
import {cast} from '../../src/cast/cast';
import {dtypeOf} from '../../src/logical_dtype';
import {
  bits, data, expectNoTensorLeaks, expectSamePredictions, inexactValues, saveAndLoad, useCpuBackend,
} from './layer_test_utils';

useCpuBackend();
expectNoTensorLeaks();

describe('Cast layer', () => {
  it.each(['float16', 'bfloat16'] as const)('rounds floating input to %s exactly as mp.cast, tagging it', (dtype) => {
    const x = data([3, 4], 1);
    const y = layers.cast({dtype}).apply(x) as tf.Tensor;
    const ref = cast(x, dtype);
    expect(bits(y)).toEqual(bits(ref));
    expect(inexactValues(y.dataSync(), dtype)).toEqual([]);
    expect(inexactValues(x.dataSync(), dtype).length).toBeGreaterThan(0);
    expect(dtypeOf(y)).toBe(dtype);
    tf.dispose([x, y, ref]);
  });

  it('to float32: same values, logical dtype float32', () => {
    const x0 = data([5], 2);
    const x = cast(x0, 'float16');
    const y = layers.cast({dtype: 'float32'}).apply(x) as tf.Tensor;
    expect(bits(y)).toEqual(bits(x));
    expect(dtypeOf(x)).toBe('float16');
    expect(dtypeOf(y)).toBe('float32');
    tf.dispose([x0, x, y]);
  });

  it.each(['float16', 'float32'] as const)('passes int32 input to %s through untouched', (dtype) => {
    const x = tf.tensor1d([70000, -3, 2049], 'int32');
    const y = layers.cast({dtype}).apply(x) as tf.Tensor;
    expect(y.dtype).toBe('int32');
    expect(Array.from(y.dataSync())).toEqual([70000, -3, 2049]);
    tf.dispose([x, y]);
  });

  it('casts to int32 with tf.cast', () => {
    const x = tf.tensor1d([1.7, -2.2]);
    const y = layers.cast({dtype: 'int32'}).apply(x) as tf.Tensor;
    expect(y.dtype).toBe('int32');
    expect(Array.from(y.dataSync())).toEqual([1, -2]);
    tf.dispose([x, y]);
  });

  it('tags symbolic outputs, round-trips its config and survives save/load', async () => {
    const x = input({shape: [4]});
    const layer = layers.cast({dtype: 'bfloat16'});
    const y = layer.apply(x) as tf.SymbolicTensor;
    expect(dtypeOf(y)).toBe('bfloat16');
    const config = layer.getConfig();
    expect(config['dtype']).toBe('bfloat16');
    const copy = layers.Cast.fromConfig(layers.Cast, JSON.parse(JSON.stringify(config))) as layers.Cast;
    expect(copy.getConfig()).toEqual(config);
    const model = tf.model({inputs: x, outputs: y});
    const loaded = await saveAndLoad(model);
    expect(loaded.layers[1]).toBeInstanceOf(layers.Cast);
    const xs = data([2, 4], 3);
    expectSamePredictions(model, loaded, xs);
    xs.dispose();
    model.dispose();
    loaded.dispose();
  });

  it('passes the gradient rounded to its dtype', () => {
    const x = data([6], 4);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(layers.cast({dtype: 'float16'}).apply(t) as tf.Tensor, tf.scalar(1 / 3))))(x);
    expect(Array.from(g.dataSync())).toEqual(new Array(6).fill(0.333251953125));
    tf.dispose([x, g]);
  });

  it('rejects a bad dtype, listing the choices', () => {
    expect(() => layers.cast({dtype: 'float64' as never})).toThrow(
      /Cast: dtype must be one of 'float32', 'float16', 'bfloat16', 'int32', 'bool'; received 'float64'/,
    );
  });
});

describe('integer inputs to an Activation', () => {
  it.each(['mixed_float16', 'float16', 'bfloat16'])('under %s, relu of int32 input equals stock: no cast', (policy) => {
    const x = tf.tensor2d([[70001, -5], [3, 2049]], [2, 2], 'int32');
    const ours = layers.activation({activation: 'relu', dtype: policy as never}).apply(x) as tf.Tensor;
    const stock = tf.layers.activation({activation: 'relu'}).apply(x) as tf.Tensor;
    expect(ours.dtype).toBe(stock.dtype);
    expect(Array.from(ours.dataSync())).toEqual(Array.from(stock.dataSync()));
    // 70001 and 2049 are not float16 values: nothing was rounded.
    expect(Array.from(ours.dataSync())).toEqual([70001, 0, 3, 2049]);
    tf.dispose([x, ours, stock]);
  });
});
