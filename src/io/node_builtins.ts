// Node's fs and path, reached only when a file-system function runs: the
// package has no top-level require of 'fs', so browser bundles of it build
// and load; calling a file-system function there fails with a clear error.

type Fs = typeof import('fs');
type Path = typeof import('path');

interface NodeLikeProcess {
  versions?: {node?: string};
  getBuiltinModule?: (name: string) => unknown;
}

/** True when running under Node.js. */
export function isNode(): boolean {
  const proc = (globalThis as {process?: NodeLikeProcess}).process;
  return typeof proc?.versions?.node === 'string';
}

/** Node's `fs` and `path`; throws outside Node, naming `caller`. */
export function nodeBuiltins(caller: string): {fs: Fs; path: Path} {
  if (!isNode()) {
    throw new Error(
      `${caller} reads and writes files with Node.js's fs module, which is not available here. ` +
        `In a browser, use tf.io.http, tf.io.browserFiles or 'indexeddb://' instead.`,
    );
  }
  return {fs: builtin<Fs>('fs'), path: builtin<Path>('path')};
}

function builtin<T>(name: 'fs' | 'path'): T {
  const proc = (globalThis as {process?: NodeLikeProcess}).process;
  // Node >= 20.16 hands out builtins without require, invisible to bundlers.
  if (typeof proc?.getBuiltinModule === 'function') {
    return proc.getBuiltinModule(name) as T;
  }
  // Older Node: the CommonJS module's own require, reached through `module`
  // so that bundlers do not try to resolve 'fs' statically.
  const mod = typeof module === 'object' ? (module as {require?: (id: string) => unknown}) : undefined;
  if (typeof mod?.require !== 'function') {
    throw new Error(`Cannot load Node.js's '${name}' module: neither process.getBuiltinModule nor require is available.`);
  }
  return mod.require(name) as T;
}
