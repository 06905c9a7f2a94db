// tfjs's cpu backend prints an advertisement for @tensorflow/tfjs-node the
// first time each backend instance stores a tensor in Node, i.e. once per test
// file. The suite cannot install tfjs-node, so the message is noise here.
//
// Not tfjs's IS_TEST or PROD flags: they silence every tfjs warning (the
// "already registered" warning some tests watch for) and IS_TEST also turns on
// tfjs's per-kernel leak checks. Only this one message is dropped, only in the
// suite: users of the package keep tfjs's normal behaviour.

/** True for the console.warn arguments of tfjs's tfjs-node advertisement. */
export function isTfjsNodeAdvert(args: readonly unknown[]): boolean {
  return (
    args.length === 1 &&
    typeof args[0] === 'string' &&
    args[0].includes('Hi, looks like you are running TensorFlow.js in Node.js.') &&
    args[0].includes('https://github.com/tensorflow/tfjs-node')
  );
}

/** Replaces `target.warn` with one that drops the advertisement and passes on everything else. */
export function dropTfjsNodeAdvert(target: {warn: (...args: unknown[]) => void}): void {
  const warn = target.warn;
  target.warn = function (this: unknown, ...args: unknown[]) {
    if (!isTfjsNodeAdvert(args)) {
      warn.apply(this, args);
    }
  };
}
