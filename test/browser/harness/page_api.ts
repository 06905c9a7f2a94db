// The page side of the harness: page modules (test/browser/pages/*.page.ts)
// define named tests with definePageTest; the Node side runs them by name
// (BrowserPage.run) and gets back their JSON-serializable result.
import * as tf from '@tensorflow/tfjs';

export type PageTest = (args: never) => unknown;

const tests = new Map<string, (args: unknown) => unknown>();

/** Registers `fn` under `name` for BrowserPage.run (one name, one test). */
export function definePageTest<A, R>(name: string, fn: (args: A) => R | Promise<R>): void {
  if (tests.has(name)) {
    throw new Error(`definePageTest: '${name}' is defined twice; page test names must be unique.`);
  }
  tests.set(name, fn as (args: unknown) => unknown);
}

/** What BrowserPage.run receives from the page. */
export type PageRunResult =
  | {ok: true; result: unknown; tensorsBefore: number; tensorsAfter: number}
  | {ok: false; error: string};

/** Runs the named test, counting live tensors around it; never throws. */
export async function runPageTest(name: string, args: unknown): Promise<PageRunResult> {
  const fn = tests.get(name);
  if (fn === undefined) {
    return {ok: false, error: `no page test named '${name}'; defined: ${[...tests.keys()].join(', ')}`};
  }
  try {
    const tensorsBefore = tf.memory().numTensors;
    const result = await fn(args);
    return {ok: true, result, tensorsBefore, tensorsAfter: tf.memory().numTensors};
  } catch (error) {
    const e = error as Error;
    return {ok: false, error: `${e?.message ?? String(error)}\n${e?.stack ?? ''}`};
  }
}
