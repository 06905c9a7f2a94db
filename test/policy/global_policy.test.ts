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

    it('holds the policy in an async fn until it settles; the caller meanwhile keeps its own', async () => {
      const pending = withPolicy('mixed_float16', async () => {
        await Promise.resolve();
        return globalPolicy().name;
      });
      // Node has async context: the scope's policy is not the caller's.
      expect(globalPolicy().name).toBe('float32');
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

const tick = (ms = 0) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('withPolicy across overlapping async scopes (Node: async context)', () => {
  afterEach(() => setGlobalPolicy(null));

  it('scopes that end in the other order than they started each see their own policy, and leak nothing', async () => {
    const seen: string[] = [];
    let releaseFirst = () => {};
    const firstMayEnd = new Promise<void>((resolve) => (releaseFirst = resolve));
    const first = withPolicy('float16', async () => {
      seen.push(`first start ${globalPolicy().name}`);
      await firstMayEnd; // released once the second scope has ended
      seen.push(`first end ${globalPolicy().name}`);
    });
    const second = withPolicy('bfloat16', async () => {
      seen.push(`second start ${globalPolicy().name}`);
      await tick();
      seen.push(`second end ${globalPolicy().name}`);
    });
    seen.push(`caller ${globalPolicy().name}`);
    await second;
    seen.push(`caller ${globalPolicy().name}`);
    releaseFirst();
    await first;
    expect(seen).toEqual([
      'first start float16',
      'second start bfloat16',
      'caller float32',
      'second end bfloat16',
      'caller float32',
      'first end float16',
    ]);
    expect(globalPolicy().name).toBe('float32');
  });

  it('50 interleaved scopes, nested sync and async scopes inside them', async () => {
    const names = ['float16', 'bfloat16', 'mixed_float16', 'mixed_bfloat16', 'float32'] as const;
    const results = await Promise.all(
      Array.from({length: 50}, (_, i) =>
        withPolicy(names[i % 5]!, async () => {
          const own = names[i % 5]!;
          const seen = [globalPolicy().name];
          await tick((i * 7) % 11);
          seen.push(withPolicy('float32', () => globalPolicy().name), globalPolicy().name);
          seen.push(await withPolicy('mixed_float16', async () => (await tick(i % 3), globalPolicy().name)));
          seen.push(globalPolicy().name);
          return seen.join(' ') === `${own} float32 ${own} mixed_float16 ${own}`;
        }),
      ),
    );
    expect(results.every((ok) => ok)).toBe(true);
    expect(globalPolicy().name).toBe('float32');
  });

  it("a thenable whose then throws leaves no policy set", async () => {
    const badThenable = {
      then() {
        throw new Error('bad then');
      },
    };
    let error: unknown;
    try {
      await (withPolicy('float16', () => badThenable) as unknown);
    } catch (e) {
      error = e;
    }
    expect((error as Error).message).toBe('bad then');
    expect(globalPolicy().name).toBe('float32');
  });

  it("setGlobalPolicy inside a scope sets the scope's policy, for all of its code, until the scope ends", async () => {
    setGlobalPolicy('mixed_float16');
    const seen: Record<string, string> = {};
    const scoped = withPolicy('float16', async () => {
      setGlobalPolicy('bfloat16');
      const child = (async () => {
        await tick(2);
        seen['callback started in the scope'] = globalPolicy().name;
      })();
      await tick(5);
      seen['scope'] = globalPolicy().name;
      await child;
    });
    const sibling = withPolicy('float32', async () => {
      await tick(1);
      seen['sibling scope'] = globalPolicy().name;
    });
    seen['caller'] = globalPolicy().name;
    await Promise.all([scoped, sibling]);
    expect(seen).toEqual({
      caller: 'mixed_float16',
      'sibling scope': 'float32',
      'callback started in the scope': 'bfloat16',
      scope: 'bfloat16',
    });
    expect(globalPolicy().name).toBe('mixed_float16');
    // Outside any scope it sets the global policy itself.
    setGlobalPolicy('bfloat16');
    expect(await withPolicy('float16', async () => (await tick(), globalPolicy().name))).toBe('float16');
    expect(globalPolicy().name).toBe('bfloat16');
  });
});

