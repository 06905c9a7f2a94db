// The logical dtype flows through every layer class: dtypeOf, `infer` and dtypeSummary see it.
import * as tf from '@tensorflow/tfjs';

import * as layers from '../../layers';
import {dtypeOf} from '../../src/logical_dtype';
import {withPolicy} from '../../src/policy/global_policy';
import {expectNoTensorLeaks, useCpuBackend} from './layer_test_utils';

useCpuBackend();
expectNoTensorLeaks();

describe('logical dtype through generated layers', () => {
  it('an infer layer after Dropout, BatchNormalization and pooling infers float16; dtypeSummary shows every layer', () => {
    const input = tf.input({shape: [4, 3]});
    const model = withPolicy('mixed_float16', () => {
      let x = layers.dense({units: 4, name: 'd'}).apply(input) as tf.SymbolicTensor;
      x = layers.dropout({rate: 0.1, name: 'drop'}).apply(x) as tf.SymbolicTensor;
      x = layers.batchNormalization({name: 'bn'}).apply(x) as tf.SymbolicTensor;
      x = layers.globalAveragePooling1d({name: 'gap'}).apply(x) as tf.SymbolicTensor;
      expect(dtypeOf(x)).toBe('float16');
      const out = layers.dense({units: 2, dtype: 'infer', name: 'inferred'}).apply(x) as tf.SymbolicTensor;
      return tf.model({inputs: input, outputs: out});
    });
    expect(dtypeOf(model.outputs[0]!)).toBe('float16');
    const lines: string[] = [];
    layers.dtypeSummary(model, (l) => lines.push(l));
    const row = (name: string) => lines.find((l) => l.startsWith(name))!.split(/\s{2,}/);
    expect(row('drop (Dropout)')).toEqual(['drop (Dropout)', 'mixed_float16', 'float16', '-', 'float16']);
    expect(row('bn (BatchNormalization)')).toEqual(['bn (BatchNormalization)', 'mixed_float16', 'float16', 'float32', 'float16']);
    expect(row('gap (GlobalAveragePooling1D)')).toEqual(['gap (GlobalAveragePooling1D)', 'mixed_float16', 'float16', '-', 'float16']);
    expect(row('inferred (Dense)')).toEqual(['inferred (Dense)', 'infer', 'float16', 'float16', 'float16']);
    model.dispose();
  });

  it('tf.layers.batchNormalization({dtype}) is ignored by tfjs; mp.layers.batchNormalization({dtype}) follows it', () => {
    const x = tf.randomUniform([2, 3], -1, 1, 'float32', 1);
    const mp = layers.batchNormalization({dtype: 'mixed_float16'});
    const y = mp.apply(x, {training: true}) as tf.Tensor;
    expect(mp.policy.name).toBe('mixed_float16');
    expect(dtypeOf(y)).toBe('float16');
    tf.dispose([x, y]);
    mp.dispose();
  });
});
