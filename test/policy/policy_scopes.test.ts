import {AsyncLocalStorage} from 'async_hooks';

import {createAsyncContext} from '../../src/policy/async_context';
import {Policy} from '../../src/policy/policy';
import {PolicyScopes, contextScopes, globalValueScopes} from '../../src/policy/policy_scopes';
import {withoutProcess} from '../setup/without_process';

const F32 = new Policy('float32');
const F16 = new Policy('float16');
const BF16 = new Policy('bfloat16');
const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('async context', () => {
  it("is Node's AsyncLocalStorage under Node", () => {
    expect(createAsyncContext()).toBeInstanceOf(AsyncLocalStorage);
  });

  it('is absent where the runtime has none (a browser)', () => {
    expect(withoutProcess(() => createAsyncContext())).toBeNull();
  });
});

// What both mechanisms guarantee.
describe.each<[string, () => PolicyScopes]>([
  ['with async context', () => contextScopes(F32, new AsyncLocalStorage())],
  ['without async context', () => globalValueScopes(F32)],
])('policy scopes %s', (_name, make) => {
  it('sync scopes nest, and restore on return and on throw', () => {
    const scopes = make();
    const seen = scopes.run(F16, () => [scopes.current().name, scopes.run(BF16, () => scopes.current().name), scopes.current().name]);
    expect(seen).toEqual(['float16', 'bfloat16', 'float16']);
    expect(() =>
      scopes.run(F16, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(scopes.current()).toBe(F32);
  });

  it('an async scope holds its policy until it settles, then restores it (resolved and rejected)', async () => {
    const scopes = make();
    await expect(scopes.run(F16, async () => (await tick(), scopes.current().name))).resolves.toBe('float16');
    expect(scopes.current()).toBe(F32);
    await expect(
      scopes.run(F16, async () => {
        await tick();
        throw new Error('late');
      }),
    ).rejects.toThrow('late');
    expect(scopes.current()).toBe(F32);
  });

  it('a thenable whose then throws leaves no policy set', async () => {
    const scopes = make();
    const bad = {
      then() {
        throw new Error('bad then');
      },
    };
    let error: unknown;
    try {
      await (scopes.run(F16, () => bad) as unknown);
    } catch (e) {
      error = e;
    }
    expect((error as Error).message).toBe('bad then');
    expect(scopes.current()).toBe(F32);
  });

  it('a then getter that throws leaves no policy set', () => {
    const scopes = make();
    const bad = {
      get then(): unknown {
        throw new Error('bad getter');
      },
    };
    // With async context the thenable is returned untouched: its getter is the awaiting caller's problem.
    try {
      scopes.run(F16, () => bad);
    } catch (e) {
      expect((e as Error).message).toBe('bad getter');
    }
    expect(scopes.current()).toBe(F32);
  });

  it("set inside a scope changes the scope's policy until it ends; outside, the global one", async () => {
    const scopes = make();
    await scopes.run(F16, async () => {
      scopes.set(BF16);
      await tick();
      expect(scopes.current()).toBe(BF16);
    });
    expect(scopes.current()).toBe(F32);
    scopes.set(BF16);
    expect(scopes.current()).toBe(BF16);
  });
});

describe('policy scopes without async context (browsers)', () => {
  it('refuses an async fn while another async scope is pending, before running it', async () => {
    const scopes = globalValueScopes(F32);
    const first = scopes.run(F16, async () => {
      await tick();
      return scopes.current().name;
    });
    let ran = false;
    expect(() =>
      scopes.run(BF16, async () => {
        ran = true;
      }),
    ).toThrow(
      "withPolicy('bfloat16'): another asynchronous withPolicy scope ('float16') is still pending. This runtime " +
        'has no async context (AsyncLocalStorage), so asynchronous scopes cannot overlap: await the first one ' +
        'before starting the next, or make the inner fn synchronous.',
    );
    expect(ran).toBe(false);
    expect(scopes.current()).toBe(F16);
    await expect(first).resolves.toBe('float16');
    expect(scopes.current()).toBe(F32);
  });

  it('refuses a plain fn that returns a promise while another async scope is pending, restoring at once', async () => {
    const scopes = globalValueScopes(F32);
    const first = scopes.run(F16, async () => {
      await tick();
      await tick();
      return scopes.current().name;
    });
    const second = scopes.run(BF16, () => tick().then(() => 'done'));
    expect(scopes.current()).toBe(F16);
    await expect(second).rejects.toThrow(/withPolicy\('bfloat16'\): another asynchronous withPolicy scope \('float16'\) is still pending/);
    await expect(first).resolves.toBe('float16');
    expect(scopes.current()).toBe(F32);
  });

  it('allows sync scopes inside and beside a pending async scope, and async scopes one after another', async () => {
    const scopes = globalValueScopes(F32);
    const first = scopes.run(F16, async () => {
      await tick();
      return scopes.run(BF16, () => scopes.current().name) + ' ' + scopes.current().name;
    });
    expect(scopes.run(BF16, () => scopes.current().name)).toBe('bfloat16');
    expect(scopes.current()).toBe(F16);
    await expect(first).resolves.toBe('bfloat16 float16');
    await expect(scopes.run(BF16, async () => (await tick(), scopes.current().name))).resolves.toBe('bfloat16');
    expect(scopes.current()).toBe(F32);
  });

  it('a thenable that calls back twice restores once', async () => {
    const scopes = globalValueScopes(F32);
    const twice = {
      then(ok: (v: number) => unknown, fail: (e: unknown) => unknown) {
        ok(1);
        try {
          fail(new Error('and again'));
        } catch {
          // the scope's rejection handler rethrows, as a then callback should
        }
      },
    };
    scopes.run(F16, () => twice);
    expect(scopes.current()).toBe(F32);
    // The scope is closed: a new async scope is allowed.
    await expect(scopes.run(BF16, async () => scopes.current().name)).resolves.toBe('bfloat16');
  });
});
