// How a policy layer reads its `dtype` argument.
import * as tf from '@tensorflow/tfjs';

import * as layers from '../../layers';
import {Policy} from '../../src/policy/policy';
import {setGlobalPolicy, withPolicy} from '../../src/policy/global_policy';
import {data, useCpuBackend} from './layer_test_utils';

useCpuBackend();

describe('dtype argument', () => {
  it.each([
    ['a policy name', 'mixed_float16', 'mixed_float16'],
    ["tfjs's camelCased name", 'mixedBfloat16', 'mixed_bfloat16'],
    ['a Policy', new Policy('bfloat16'), 'bfloat16'],
    ['the Keras 2 object', {class_name: 'Policy', config: {name: 'mixed_float16'}}, 'mixed_float16'],
    ["tfjs's camelCased object", {className: 'Policy', config: {name: 'mixed_float16'}}, 'mixed_float16'],
    ['Keras 2.13 with module', {module: 'keras.mixed_precision', class_name: 'Policy', config: {name: 'float16'}, registered_name: null}, 'float16'],
    ['Keras 3.4 DTypePolicy', {module: 'keras', class_name: 'DTypePolicy', config: {name: 'mixed_bfloat16'}, registered_name: null}, 'mixed_bfloat16'],
    ['the experimental infer name', 'infer_float32_vars', 'infer_float32_vars'],
  ])('accepts %s', (_what, dtype, expected) => {
    const layer = layers.dense({units: 2, dtype: dtype as never});
    expect(layer.policy.name).toBe(expected);
  });

  it('defaults to the global policy at construction, and keeps it', () => {
    const layer = withPolicy('mixed_bfloat16', () => layers.conv2d({filters: 1, kernelSize: 1}));
    expect(layer.policy.name).toBe('mixed_bfloat16');
    setGlobalPolicy('mixed_float16');
    try {
      expect(layer.policy.name).toBe('mixed_bfloat16');
      expect(layers.dense({units: 1}).policy.name).toBe('mixed_float16');
    } finally {
      setGlobalPolicy(null);
    }
    expect(layers.dense({units: 1}).policy.name).toBe('float32');
  });

  it('gives tfjs float32 as the layer dtype, so a first layer with inputShape makes a float32 InputLayer', () => {
    const start = tf.memory().numTensors;
    const model = tf.sequential({layers: [layers.dense({units: 2, inputShape: [3], dtype: 'mixed_float16'})]});
    expect(model.inputs[0]?.dtype).toBe('float32');
    const x = data([2, 3], 1);
    const y = model.predict(x) as tf.Tensor;
    expect(y.shape).toEqual([2, 2]);
    tf.dispose([x, y]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it.each([
    ['an unknown name', 'float64', /Dense: dtype must be a Policy or one of 'float32', .*received 'float64'/],
    ['a retired name', 'float16_with_float32_vars', /Dense: .*removed from TensorFlow; use 'mixed_float16' instead/],
    ['a non-floating policy', 'int32', /Dense: dtype must be a floating policy .*received 'int32'/],
    ['a number', 16, /Dense: dtype must be a policy name or a serialized policy object; received 16/],
    ['an unknown class', {class_name: 'Foo', config: {name: 'float32'}}, /Dense: dtype: a serialized policy must have class_name one of/],
  ])('rejects %s, naming the layer, the value and the choices', (_what, dtype, message) => {
    expect(() => layers.dense({units: 2, dtype: dtype as never})).toThrow(message);
  });

  it('names the wrapper class in errors', () => {
    expect(() => layers.depthwiseConv2d({kernelSize: 3, dtype: 'int32' as never})).toThrow(/^DepthwiseConv2D: /);
    expect(() => layers.activation({activation: 'relu', dtype: 'bool' as never})).toThrow(/^Activation: /);
  });
});

describe('exposes', () => {
  it.each([
    ['float32', 'float32', 'float32'],
    ['mixed_float16', 'float16', 'float32'],
    ['bfloat16', 'bfloat16', 'bfloat16'],
    ['infer', null, null],
    ['infer_float32_vars', null, 'float32'],
  ])('%s: computeDtype %s, variableDtype %s before any input', (policy, compute, variable) => {
    const layer = layers.separableConv2d({filters: 1, kernelSize: 1, dtype: policy as never});
    expect(layer.computeDtype).toBe(compute);
    expect(layer.variableDtype).toBe(variable);
  });
});
