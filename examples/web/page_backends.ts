// Which tfjs backends work in this browser, and picking one: the page loads
// tfjs with its wasm and webgpu backends as script tags (the page's global
// `tf`), tries each backend once, and uses the best one that initialized
// (webgpu > webgl > wasm > cpu) unless the user picks another.

import * as tf from '@tensorflow/tfjs';

import {PAGE_BACKENDS, PageBackend} from './page_options';

export interface BackendStatus {
  readonly name: PageBackend;
  readonly available: boolean;
  /** Why it is unavailable. */
  readonly reason?: string;
}

interface WasmGlobal {
  setWasmPaths(prefix: string): void;
}

/**
 * Tells the wasm backend where its .wasm files are served (tfjs's own
 * default is a CDN; the page fetches nothing from the internet).
 */
export function serveWasmFrom(prefix: string): void {
  (tf as unknown as {wasm?: WasmGlobal}).wasm?.setWasmPaths(prefix);
}

/**
 * Initializes each backend in turn and reports which work. Leaves the
 * first available one active.
 *
 * @example
 * const statuses = await probeBackends();
 * statuses.filter((s) => s.available).map((s) => s.name); // e.g. ['webgpu', 'webgl', 'wasm', 'cpu']
 */
export async function probeBackends(): Promise<BackendStatus[]> {
  const statuses: BackendStatus[] = [];
  for (const name of PAGE_BACKENDS) {
    statuses.push(await tryBackend(name));
  }
  const best = statuses.find((s) => s.available);
  if (best === undefined) {
    throw new Error(`No tfjs backend initialized: ${statuses.map((s) => `${s.name}: ${s.reason}`).join('; ')}.`);
  }
  await tf.setBackend(best.name);
  return statuses;
}

async function tryBackend(name: PageBackend): Promise<BackendStatus> {
  if (tf.findBackendFactory(name) === null) {
    return {name, available: false, reason: 'not loaded in this page'};
  }
  try {
    if (!(await tf.setBackend(name))) {
      return {name, available: false, reason: 'failed to initialize in this browser'};
    }
    return (await syncReadsWork())
      ? {name, available: true}
      : {name, available: false, reason: 'synchronous reads (dataSync, which the LossScaleOptimizer uses) give wrong values here'};
  } catch (error) {
    return {name, available: false, reason: (error as Error).message};
  }
}

/**
 * The LossScaleOptimizer reads one scalar per step with dataSync(). In
 * headless Chromium's software WebGPU (measured) the first dataSync() on
 * webgpu works, the second returns a wrong value, and every later read
 * fails: such a backend cannot run run 3.
 */
async function syncReadsWork(): Promise<boolean> {
  const made: tf.Tensor[] = [];
  const keep = <T extends tf.Tensor>(t: T): T => (made.push(t), t);
  try {
    const a = keep(tf.tensor1d([1, 2, 3]));
    const b = keep(tf.add(a, 1));
    const first = b.dataSync()[2];
    const c = keep(tf.sum(b));
    const second = c.dataSync()[0];
    const d = keep(tf.mul(c, 2));
    const third = (await d.data())[0];
    return first === 4 && second === 9 && third === 18;
  } catch {
    return false;
  } finally {
    tf.dispose(made);
  }
}

/**
 * Activates `choice` ('auto': the best available) and returns its name;
 * fails, naming the available ones, if it did not initialize.
 */
export async function useBackend(choice: PageBackend | 'auto', statuses: readonly BackendStatus[]): Promise<PageBackend> {
  const available = statuses.filter((s) => s.available).map((s) => s.name);
  const name = choice === 'auto' ? available[0] : choice;
  if (name === undefined || !available.includes(name)) {
    const status = statuses.find((s) => s.name === choice);
    throw new Error(
      `backend '${choice}' is not available here (${status?.reason ?? 'unknown'}); available: ${available.join(', ')}.`,
    );
  }
  if (!(await tf.setBackend(name))) {
    throw new Error(`tf.setBackend('${name}') failed.`);
  }
  await tf.ready();
  return name;
}
