// Tests of what the package does outside Node (a browser): there,
// globalThis.process is absent.

/** Runs `fn` with globalThis.process hidden, as in a browser. */
export function withoutProcess<T>(fn: () => T): T {
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'process')!;
  Object.defineProperty(globalThis, 'process', {value: undefined, configurable: true, writable: true});
  try {
    return fn();
  } finally {
    Object.defineProperty(globalThis, 'process', descriptor);
  }
}
