import {Policy, toPolicy} from '../../src/policy/policy';
import {POLICY_NAMES} from '../../src/policy/policy_names';

describe('Policy', () => {
  // name, computeDtype, variableDtype, defaultVariableDtype, shouldCastVariables
  const table: Array<[string, string | null, string | null, string | null, boolean]> = [
    ['float32', 'float32', 'float32', null, false],
    ['float16', 'float16', 'float16', null, false],
    ['bfloat16', 'bfloat16', 'bfloat16', null, false],
    ['mixed_float16', 'float16', 'float32', 'float32', true],
    ['mixed_bfloat16', 'bfloat16', 'float32', 'float32', true],
    ['int32', 'int32', 'int32', null, false],
    ['bool', 'bool', 'bool', null, false],
    ['infer', null, null, null, false],
    ['infer_float32_vars', null, 'float32', 'float32', true],
  ];

  it('covers every policy name in the table', () => {
    expect(table.map((row) => row[0]).sort()).toEqual([...POLICY_NAMES].sort());
  });

  it.each(table)('%s: compute %s, variables %s, default variable %s, cast %s', (name, compute, variable, dflt, shouldCast) => {
    const p = new Policy(name as never);
    expect(p.name).toBe(name);
    expect(p.computeDtype).toBe(compute);
    expect(p.variableDtype).toBe(variable);
    expect(p.defaultVariableDtype).toBe(dflt);
    expect(p.shouldCastVariables).toBe(shouldCast);
  });

  it('is immutable', () => {
    const p = new Policy('mixed_float16');
    expect(() => {
      (p as unknown as {name: string}).name = 'float32';
    }).toThrow(TypeError);
    expect(p.name).toBe('mixed_float16');
  });

  it.each([
    ['mixed_float16', true],
    ['bfloat16', true],
    ['float32', false],
    ['infer', false],
    ['int32', false],
  ])('isNarrow(%s) is %s', (name, narrow) => {
    expect(new Policy(name as never).isNarrow).toBe(narrow);
  });

  it.each([
    ['mixed_float_16', /name must be a Policy or one of 'float32', 'float16', .*'infer_float32_vars'; received 'mixed_float_16'\./],
    ['float64', /received 'float64'/],
    ['', /received ''/],
  ])('rejects the name %p, listing the valid names', (name, message) => {
    expect(() => new Policy(name as never)).toThrow(message);
  });

  it.each([
    [42, /received 42/],
    [null, /received null/],
    [undefined, /received undefined/],
    [{name: 'float32'}, /received \{"name":"float32"\}/],
  ])('rejects the non-string %p', (value, message) => {
    expect(() => new Policy(value as never)).toThrow(message);
    expect(() => toPolicy('dtype', value as never)).toThrow(message);
  });

  // Class instances and functions are described by kind, long values cut.
  it.each([
    [new Map(), /received a Map object\.$/],
    [function half() {}, /received a function \(half\)\.$/],
    [() => 1, /received a function\.$/],
    [`mixed_${'x'.repeat(300)}`, /received 'mixed_x{190}\.\.\.\.$/],
    [{name: 'y'.repeat(300)}, /received \{"name":"y{188}\.\.\.\.$/],
  ])('describes the bad value %#, briefly', (value, message) => {
    expect(() => toPolicy('dtype', value as never)).toThrow(message);
  });

  it.each([
    ['infer_with_float32_vars', 'infer_float32_vars'],
    ['float16_with_float32_vars', 'mixed_float16'],
    ['bfloat16_with_float32_vars', 'mixed_bfloat16'],
  ])('tells the replacement for the retired name %s', (old, replacement) => {
    expect(() => new Policy(old as never)).toThrow(`'${old}' was removed from TensorFlow; use '${replacement}' instead`);
  });

  // Names of Object.prototype members must not reach the prototype through
  // the name tables: they are unknown names like any other.
  it.each(['__proto__', 'toString', 'constructor', 'hasOwnProperty', 'valueOf'])(
    'refuses %s as an unknown name, listing the valid ones',
    (name) => {
      const message = `policy must be a Policy or one of 'float32', 'float16', 'bfloat16', 'mixed_float16', ` +
        `'mixed_bfloat16', 'int32', 'bool', 'infer', 'infer_float32_vars'; received '${name}'.`;
      expect(() => toPolicy('policy', name)).toThrow(message);
      expect(() => new Policy(name as never)).toThrow(/must be a Policy or one of 'float32'/);
    },
  );

  it('round-trips through getConfig/fromConfig without touching the config', () => {
    for (const name of POLICY_NAMES) {
      const config = Object.freeze(new Policy(name).getConfig());
      const back = Policy.fromConfig(config);
      expect(back.getConfig()).toEqual(config);
      expect(back.computeDtype).toBe(new Policy(name).computeDtype);
    }
  });

  it('fromConfig rejects a non-object', () => {
    expect(() => Policy.fromConfig('float32' as never)).toThrow(/config must be an object \{name\}; received 'float32'/);
  });

  it.each([
    [{}, 'undefined'],
    [{name: 'half'}, "'half'"],
  ])('fromConfig(%p) names config.name and the value', (config, shown) => {
    expect(() => Policy.fromConfig(config as never)).toThrow(
      new RegExp(`^Policy\\.fromConfig: config\\.name must be a Policy or one of 'float32', .*; received ${shown}\\.$`),
    );
  });

  it('toPolicy passes a Policy through and builds one from a name', () => {
    const p = new Policy('bfloat16');
    expect(toPolicy('dtype', p)).toBe(p);
    expect(toPolicy('dtype', 'mixed_bfloat16').name).toBe('mixed_bfloat16');
    expect(() => toPolicy('dtype', 'half')).toThrow(/^dtype must be a Policy or one of .*received 'half'\.$/);
  });

  it('prints its name', () => {
    expect(String(new Policy('mixed_float16'))).toBe('<Policy "mixed_float16">');
  });
});
