import {Json} from '../../src/keras_format/json';
import {policyField} from '../../src/keras_format/policy_field';
import {storageDtype} from '../../src/keras_format/storage_dtype';
import {deepFreeze} from './deep_freeze';

const dtypePolicy = (name: string) => ({module: 'keras', class_name: 'DTypePolicy', config: {name}, registered_name: null});

describe('storageDtype', () => {
  const cases: Array<[Json | undefined, string | null]> = [
    [null, null],
    [undefined, null],
    ['float32', 'float32'],
    ['float16', 'float32'],
    ['bfloat16', 'float32'],
    ['float64', 'float32'],
    ['int64', 'int32'],
    ['uint8', 'int32'],
    ['int32', 'int32'],
    ['bool', 'bool'],
    ['string', 'string'],
    ['mixed_float16', 'float32'],
    ['mixedBfloat16', 'float32'],
    ['infer', 'float32'],
    [dtypePolicy('mixed_float16'), 'float32'],
    [dtypePolicy('int32'), 'int32'],
    [{class_name: 'Policy', config: {name: 'bool'}}, 'bool'],
    [{class_name: 'PolicyV1', config: {name: 'infer_float32_vars', loss_scale: 'dynamic'}}, 'float32'],
  ];
  it.each(cases)('%j -> %j', (field, expected) => {
    expect(storageDtype(field === undefined ? undefined : deepFreeze(field), 'layer x')).toBe(expected);
  });

  it('names the layer, the value and the valid names when it cannot read a dtype', () => {
    expect(() => storageDtype('complex128', "layer 'd' (Dropout)")).toThrow(
      /^layer 'd' \(Dropout\): cannot read its dtype 'complex128': .*Valid dtypes are policies and the names 'float16', .*'int64'/,
    );
    expect(() => storageDtype({class_name: 'QuantizedDTypePolicy', config: {name: 'int8_from_float32'}}, 'L')).toThrow(
      /^L: cannot read its dtype .*QuantizedDTypePolicy/,
    );
  });
});

describe('policyField', () => {
  const mixed = {class_name: 'Policy', config: {name: 'mixed_float16'}};
  // Every Keras version's way of writing a policy, and what the layer receives.
  const cases: Array<[string, Json | undefined, Json | undefined]> = [
    ['missing', undefined, undefined],
    ['null', null, null],
    ['Keras 3.4+ DTypePolicy', dtypePolicy('mixed_float16'), mixed],
    ['the converter .keras form without module', {class_name: 'DTypePolicy', config: {name: 'mixed_float16'}}, mixed],
    ['Keras 3.4-3.5 FloatDTypePolicy', {module: 'keras', class_name: 'FloatDTypePolicy', config: {name: 'mixed_bfloat16'}, registered_name: null}, {class_name: 'Policy', config: {name: 'mixed_bfloat16'}}],
    ['Keras 2.13-2.15', {module: 'keras.mixed_precision', class_name: 'Policy', config: {name: 'mixed_float16'}, registered_name: null}, mixed],
    ['TF 2.1-2.12 Policy', mixed, mixed],
    ['PolicyV1 with a loss scale', {class_name: 'PolicyV1', config: {name: 'mixed_float16', loss_scale: {class_name: 'DynamicLossScale', config: {initial_scale: 32768}}}}, mixed],
    ['Keras 3.0-3.3 plain string', 'mixed_float16', mixed],
    ['single-dtype DTypePolicy', dtypePolicy('float32'), 'float32'],
    ['plain float16', 'float16', 'float16'],
    ['a Keras dtype that is no policy', 'float64', 'float32'],
    ['int64', 'int64', 'int32'],
  ];
  it.each(cases)('%s', (_, field, expected) => {
    expect(policyField(field === undefined ? undefined : deepFreeze(field), 'layer x')).toEqual(expected);
  });

  it('names the layer when a policy is unreadable', () => {
    expect(() => policyField(dtypePolicy('int8_from_mixed_float16'), "layer 'd' (Dense)")).toThrow(
      /^layer 'd' \(Dense\): cannot read its dtype policy: .*'int8_from_mixed_float16'/,
    );
    expect(() => policyField('mixed_float32', "layer 'd' (Dense)")).toThrow(/^layer 'd' \(Dense\): .*'mixed_float32'/);
  });
});
