import {Policy} from '../../src/policy/policy';
import {globalPolicy, setGlobalPolicy, setPolicy, withPolicy} from '../../src/policy/global_policy';

describe('global policy', () => {
  afterEach(() => setGlobalPolicy(null));

  it('defaults to float32', () => {
    expect(globalPolicy().name).toBe('float32');
  });

  it('is set from a name or a Policy, and null restores the default', () => {
    setGlobalPolicy('mixed_float16');
    expect(globalPolicy().name).toBe('mixed_float16');
    const p = new Policy('mixed_bfloat16');
    setGlobalPolicy(p);
    expect(globalPolicy()).toBe(p);
    setGlobalPolicy(null);
    expect(globalPolicy().name).toBe('float32');
  });

  it('keeps setPolicy as the experimental name', () => {
    setPolicy('infer_float32_vars');
    expect(globalPolicy().name).toBe('infer_float32_vars');
  });

  it.each(['int32', 'bool'])('refuses the non-floating policy %s and keeps the previous one', (name) => {
    setGlobalPolicy('mixed_float16');
    expect(() => setGlobalPolicy(name)).toThrow(
      `The global policy can only be a floating-point policy, such as 'float32' or 'mixed_float16'; received '${name}'.`,
    );
    expect(globalPolicy().name).toBe('mixed_float16');
  });

  it('refuses a bad name and keeps the previous policy', () => {
    setGlobalPolicy('bfloat16');
    expect(() => setGlobalPolicy('fp16')).toThrow(/policy must be a Policy or one of .*received 'fp16'/);
    expect(() => setGlobalPolicy(16 as never)).toThrow(/received 16/);
    expect(globalPolicy().name).toBe('bfloat16');
  });

  describe('withPolicy', () => {
    it('sets the policy for the scope and restores it', () => {
      const seen = withPolicy('mixed_float16', () => globalPolicy().name);
      expect(seen).toBe('mixed_float16');
      expect(globalPolicy().name).toBe('float32');
    });

    it('restores the previous policy when fn throws', () => {
      setGlobalPolicy('bfloat16');
      expect(() =>
        withPolicy('mixed_float16', () => {
          throw new Error('boom');
        }),
      ).toThrow('boom');
      expect(globalPolicy().name).toBe('bfloat16');
    });

    it('nests', () => {
      const names = withPolicy('mixed_float16', () => [
        globalPolicy().name,
        withPolicy('float16', () => globalPolicy().name),
        globalPolicy().name,
      ]);
      expect(names).toEqual(['mixed_float16', 'float16', 'mixed_float16']);
      expect(globalPolicy().name).toBe('float32');
    });

    it('holds the policy until an async fn settles, then restores it', async () => {
      const pending = withPolicy('mixed_float16', async () => {
        await Promise.resolve();
        return globalPolicy().name;
      });
      expect(globalPolicy().name).toBe('mixed_float16');
      await expect(pending).resolves.toBe('mixed_float16');
      expect(globalPolicy().name).toBe('float32');
      await expect(
        withPolicy('float16', async () => {
          throw new Error('late');
        }),
      ).rejects.toThrow('late');
      expect(globalPolicy().name).toBe('float32');
    });

    it('changes nothing when the policy or fn is bad', () => {
      expect(() => withPolicy('int32', () => 1)).toThrow(/floating-point policy/);
      expect(() => withPolicy('float16', 'not a function' as never)).toThrow(
        "withPolicy: fn must be a function; received 'not a function'.",
      );
      expect(globalPolicy().name).toBe('float32');
    });
  });
});
