// The runtime's async context support (Node's AsyncLocalStorage, also in Deno
// and Bun), reached without a top-level import of 'node:async_hooks' so that
// browser bundles of the package build and load: there it is simply absent.

/** The part of `AsyncLocalStorage` the policy scopes use. */
export interface AsyncContext<T> {
  getStore(): T | undefined;
  run<R>(store: T, fn: () => R): R;
}

type AsyncLocalStorageClass = new <T>() => AsyncContext<T>;

interface NodeLikeProcess {
  versions?: {node?: string};
  getBuiltinModule?: (name: string) => unknown;
}

/** A new async context, or null where the runtime has none (browsers). */
export function createAsyncContext<T>(): AsyncContext<T> | null {
  const Storage = asyncLocalStorageClass();
  return Storage === null ? null : new Storage<T>();
}

function asyncLocalStorageClass(): AsyncLocalStorageClass | null {
  const proc = (globalThis as {process?: NodeLikeProcess}).process;
  if (typeof proc?.versions?.node !== 'string') {
    return null;
  }
  // A variable, not a literal: bundlers must not try to resolve it.
  const name = 'node:async_hooks';
  let hooks: unknown;
  try {
    // Node >= 20.16 hands out builtins without require, invisible to bundlers.
    if (typeof proc.getBuiltinModule === 'function') {
      hooks = proc.getBuiltinModule(name);
    } else {
      // Older Node: the CommonJS module's own require, reached through
      // `module` so that bundlers do not try to resolve it statically.
      const mod = typeof module === 'object' ? (module as {require?: (id: string) => unknown}) : undefined;
      hooks = typeof mod?.require === 'function' ? mod.require(name) : undefined;
    }
  } catch {
    return null;
  }
  const Storage = (hooks as {AsyncLocalStorage?: unknown} | undefined)?.AsyncLocalStorage;
  return typeof Storage === 'function' ? (Storage as AsyncLocalStorageClass) : null;
}
