import * as tf from '@tensorflow/tfjs';

import {Json} from '../../src/keras_format/json';
import {cleanKerasObjects, withoutNoiseKeys} from '../../src/keras_format/keras_object';
import {deepFreeze} from './deep_freeze';

const k3 = (className: string, config: Json, module = 'keras.initializers') => ({module, class_name: className, config, registered_name: null});

describe('cleanKerasObjects', () => {
  const cases: Array<[string, Json, Json]> = [
    ['drops module/registered_name', k3('GlorotUniform', {seed: null}), {class_name: 'GlorotUniform', config: {seed: null}}],
    ['LecunNormal', k3('LecunNormal', {seed: 1}), {class_name: 'LeCunNormal', config: {seed: 1}}],
    ['LecunUniform', {class_name: 'LecunUniform', config: {seed: null}}, {class_name: 'LeCunUniform', config: {seed: null}}],
    ['Keras 3 IdentityInitializer', k3('IdentityInitializer', {gain: 2}), {class_name: 'Identity', config: {gain: 2}}],
    ['Keras 3 OrthogonalInitializer', k3('OrthogonalInitializer', {gain: 1, seed: null}), {class_name: 'Orthogonal', config: {gain: 1, seed: null}}],
    ['L2', k3('L2', {l2: 0.5}, 'keras.regularizers'), {class_name: 'L1L2', config: {l2: 0.5, l1: 0}}],
    ['L1', {class_name: 'L1', config: {l1: 0.25}}, {class_name: 'L1L2', config: {l1: 0.25, l2: 0}}],
    ['L1L2 unchanged', {class_name: 'L1L2', config: {l1: 1, l2: 2}}, {class_name: 'L1L2', config: {l1: 1, l2: 2}}],
    [
      'nested inside a layer config, other values untouched',
      {units: 3, kernel_initializer: k3('LecunNormal', {seed: null}), name: 'module', list: [k3('Zeros', {})]},
      {units: 3, kernel_initializer: {class_name: 'LeCunNormal', config: {seed: null}}, name: 'module', list: [{class_name: 'Zeros', config: {}}]},
    ],
    ['a plain object that only has a module key is no Keras object', {module: 'x', value: 1}, {module: 'x', value: 1}],
  ];
  it.each(cases)('%s', (_, input, expected) => {
    expect(cleanKerasObjects(deepFreeze(input))).toEqual(expected);
  });

  it('every renamed class exists in the tfjs registry', () => {
    const map = tf.serialization.SerializationMap.getMap().classNameMap;
    for (const name of ['LecunNormal', 'LecunUniform', 'IdentityInitializer', 'OrthogonalInitializer', 'L2']) {
      const renamed = cleanKerasObjects({class_name: name, config: {}}) as {class_name: string};
      expect(map[renamed.class_name]).toBeDefined();
    }
  });
});

describe('withoutNoiseKeys', () => {
  it('drops the Keras 3 keys of a layer entry only at its top level', () => {
    const entry = deepFreeze({module: 'keras.layers', class_name: 'Dense', config: {module: 'kept'}, registered_name: null, build_config: {input_shape: [null, 2]}, name: 'd'});
    expect(withoutNoiseKeys(entry)).toEqual({class_name: 'Dense', config: {module: 'kept'}, name: 'd'});
  });
});
