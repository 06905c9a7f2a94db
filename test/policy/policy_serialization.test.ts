import {Policy} from '../../src/policy/policy';
import {POLICY_NAMES} from '../../src/policy/policy_names';
import {deserializePolicy, serializePolicy} from '../../src/policy/policy_serialization';

describe('serializePolicy', () => {
  it.each([
    ['float32', 'float32'],
    ['float16', 'float16'],
    ['bfloat16', 'bfloat16'],
    ['int32', 'int32'],
    ['bool', 'bool'],
    ['mixed_float16', {class_name: 'Policy', config: {name: 'mixed_float16'}}],
    ['mixed_bfloat16', {class_name: 'Policy', config: {name: 'mixed_bfloat16'}}],
    ['infer', {class_name: 'Policy', config: {name: 'infer'}}],
    ['infer_float32_vars', {class_name: 'Policy', config: {name: 'infer_float32_vars'}}],
  ])('writes %s in the Keras 2 shape', (name, expected) => {
    expect(serializePolicy(new Policy(name as never))).toEqual(expected);
  });

  it('takes a policy name as well as a Policy', () => {
    for (const name of POLICY_NAMES) {
      expect(serializePolicy(name)).toEqual(serializePolicy(new Policy(name)));
    }
    expect(serializePolicy('mixed_float16')).toEqual({class_name: 'Policy', config: {name: 'mixed_float16'}});
  });

  it.each([
    ['an unknown name', 'mixed_float8', /serializePolicy: policy must be a Policy or one of 'float32', .*; received 'mixed_float8'\./],
    ['a retired name', 'float16_with_float32_vars', /'float16_with_float32_vars' was removed from TensorFlow; use 'mixed_float16' instead/],
    ['an object', {name: 'float32'}, /serializePolicy: policy must be a Policy or one of .*; received \{"name":"float32"\}\./],
    ['undefined', undefined, /serializePolicy: policy must be a Policy or one of .*; received undefined\./],
  ])('refuses %s', (_case, value, message) => {
    expect(() => serializePolicy(value as never)).toThrow(message);
  });

  it('round-trips every policy through deserializePolicy', () => {
    for (const name of POLICY_NAMES) {
      expect(deserializePolicy(serializePolicy(new Policy(name)))?.name).toBe(name);
    }
  });
});

describe('deserializePolicy', () => {
  const mixed = {name: 'mixed_float16'};
  // Every shape Keras (and tfjs's camelCasing loader) has written into a dtype field.
  const shapes: Array<[string, unknown, string]> = [
    ['a plain string', 'mixed_float16', 'mixed_float16'],
    ['a plain single-dtype string', 'bfloat16', 'bfloat16'],
    ['a string camelCased by tfjs', 'mixedFloat16', 'mixed_float16'],
    ['a camelCased bfloat16 string', 'mixedBfloat16', 'mixed_bfloat16'],
    ['a camelCased infer name', 'inferFloat32Vars', 'infer_float32_vars'],
    ['TF 2.1 to Keras 2.12', {class_name: 'Policy', config: mixed}, 'mixed_float16'],
    ['the experimental PolicyV1 with loss_scale', {class_name: 'PolicyV1', config: {name: 'mixed_float16', loss_scale: 'dynamic'}}, 'mixed_float16'],
    [
      'Keras 2.13-2.15',
      {module: 'keras.mixed_precision', class_name: 'Policy', config: mixed, registered_name: null},
      'mixed_float16',
    ],
    ['Keras 3.4+', {module: 'keras', class_name: 'DTypePolicy', config: mixed, registered_name: null}, 'mixed_float16'],
    ['Keras 3.4+ float32', {module: 'keras', class_name: 'DTypePolicy', config: {name: 'float32'}, registered_name: null}, 'float32'],
    ['the converter form without module', {class_name: 'DTypePolicy', config: mixed}, 'mixed_float16'],
    ['Keras 3.4-3.5 FloatDTypePolicy', {class_name: 'FloatDTypePolicy', config: {name: 'bfloat16'}}, 'bfloat16'],
    ['keys camelCased by tfjs', {className: 'Policy', config: {name: 'mixed_bfloat16'}, registeredName: null}, 'mixed_bfloat16'],
  ];

  it.each(shapes)('reads %s', (_label, field, name) => {
    const frozen = JSON.parse(JSON.stringify(field));
    const policy = deserializePolicy(field);
    expect(policy).toBeInstanceOf(Policy);
    expect(policy?.name).toBe(name);
    expect(field).toEqual(frozen);
  });

  it('returns null for a missing field and passes a Policy through', () => {
    expect(deserializePolicy(null)).toBeNull();
    expect(deserializePolicy(undefined)).toBeNull();
    const p = new Policy('float16');
    expect(deserializePolicy(p)).toBe(p);
  });

  it.each([
    ['an unknown name', 'float64', /dtype must be a Policy or one of .*received 'float64'/],
    ['an unknown class', {class_name: 'QuantizedDTypePolicy', config: {name: 'int8_from_float32'}}, /class_name one of 'Policy', 'PolicyV1', 'DTypePolicy', 'FloatDTypePolicy'; received 'QuantizedDTypePolicy'/],
    ['a missing config name', {class_name: 'Policy', config: {}}, /a serialized Policy needs config.name; received \{"class_name":"Policy","config":\{\}\}/],
    ['a bad config name', {class_name: 'Policy', config: {name: 'half'}}, /dtype.config.name must be a Policy or one of .*received 'half'/],
    ['a number', 16, /dtype must be a policy name or a serialized policy object; received 16/],
    ['an array', ['float16'], /received \["float16"\]/],
    // Only tfjs's exact camelCasing is mapped back; other spellings are not names.
    ['an upper-case name', 'MIXED_FLOAT16', /dtype must be a Policy or one of .*received 'MIXED_FLOAT16'/],
    ['a capitalised name', 'Float32', /dtype must be a Policy or one of .*received 'Float32'/],
    ['an upper-case config name', {class_name: 'Policy', config: {name: 'Mixed_Float16'}}, /dtype.config.name must be a Policy or one of .*received 'Mixed_Float16'/],
  ])('rejects %s', (_label, field, message) => {
    expect(() => deserializePolicy(field)).toThrow(message);
  });
});
