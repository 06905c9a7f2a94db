// Picks the fastest tfjs backend this machine has: tfjs-node (native
// TensorFlow) when the user installed it, else WebAssembly, else pure JS.
// tfjs-node is never a dependency of this project (its install downloads
// libtensorflow), so it is looked up at run time only.

import * as tf from '@tensorflow/tfjs';

// The convolution backprop kernels wasm lacks (Conv2DBackpropFilter, ...):
// without them a convnet cannot train there.
import '../../src'; // registers the wasm conv backprop kernels

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface BackendChoice {
  /** The tfjs backend now active. */
  readonly name: BackendName;
  /** One line for the console: what runs and why the faster ones do not. */
  readonly description: string;
}

export interface ChooseBackendOptions {
  /** Use this backend instead of the fastest one (fails if it is unavailable). */
  force?: BackendName;
}

type Attempt = () => Promise<boolean>;

/**
 * Activates the fastest available backend and says which it is.
 *
 * @example
 * const backend = await chooseBackend();
 * console.log(backend.description);
 * // "backend: wasm (WebAssembly, SIMD) (skipped tensorflow: tfjs-node not installed)"
 */
export async function chooseBackend(options: ChooseBackendOptions = {}): Promise<BackendChoice> {
  const skipped: string[] = [];
  const attempts: Array<[BackendName, Attempt]> = [
    ['tensorflow', () => loadAndSet('@tensorflow/tfjs-node', 'tfjs-node', 'tensorflow')],
    ['wasm', () => loadAndSet('@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-wasm', 'wasm')],
    ['cpu', () => tf.setBackend('cpu')],
  ];
  const candidates =
    options.force === undefined ? attempts : attempts.filter(([name]) => name === options.force);
  if (candidates.length === 0) {
    throw new Error(
      `force must be one of 'tensorflow', 'wasm', 'cpu'; received ${String(options.force)}.`,
    );
  }
  for (const [name, attempt] of candidates) {
    let ok = false;
    try {
      ok = await attempt();
    } catch (error) {
      skipped.push(`${name}: ${firstLine(error)}`);
      continue;
    }
    if (ok && tf.getBackend() === name) {
      await tf.ready();
      const why = skipped.length > 0 ? ` (skipped ${skipped.join('; ')})` : '';
      return {name, description: `backend: ${label(name)}${why}`};
    }
    skipped.push(`${name}: could not be initialised`);
  }
  throw new Error(`No usable tfjs backend: ${skipped.join('; ')}.`);
}

function label(name: BackendName): string {
  switch (name) {
    case 'tensorflow':
      return 'tensorflow (tfjs-node, native)';
    case 'wasm':
      return 'wasm (WebAssembly, SIMD)';
    case 'cpu':
      return 'cpu (pure JavaScript, slow)';
  }
}

// Loads an optional backend package, then activates its backend; `shown`
// names the package in the "not installed" reason.
async function loadAndSet(pkg: string, shown: string, backend: BackendName): Promise<boolean> {
  try {
    // A plain require so that TypeScript and bundlers do not insist on it.
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    require(pkg);
  } catch {
    throw new Error(`${shown} not installed`);
  }
  return tf.setBackend(backend);
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}
