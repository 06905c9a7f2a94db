// The entry of the page bundle, after every page module: picks the backend
// named in the URL (?backend=cpu|wasm|webgl|webgpu), waits for it, and
// exposes the runner that BrowserPage drives.
import * as tf from '@tensorflow/tfjs';

import {runPageTest} from './page_api';

/** What the page reports once its backend is ready. */
export interface PageInfo {
  backend: string;
  crossOriginIsolated: boolean;
  /** WebGL version in use (webgl backend only). */
  webglVersion?: number;
  /** True when the threaded wasm build was loaded (wasm backend only). */
  wasmThreads?: boolean;
}

interface WasmGlobal {
  setWasmPaths(prefix: string): void;
}

async function start(): Promise<PageInfo> {
  const params = new URLSearchParams(location.search);
  const backend = params.get('backend') ?? 'cpu';
  // tfjs flags, set before the backend starts (e.g. WEBGL_VERSION: 1).
  const flags = JSON.parse(params.get('flags') ?? '{}') as Record<string, number | boolean>;
  for (const [name, value] of Object.entries(flags)) {
    tf.env().set(name, value);
  }
  const wasm = (tf as unknown as {wasm?: WasmGlobal}).wasm;
  wasm?.setWasmPaths(`${location.origin}/tfjs-backend-wasm/`);
  if (!(await tf.setBackend(backend))) {
    throw new Error(`tf.setBackend('${backend}') failed in Chromium; registered backends: ${Object.keys(tf.engine().registryFactory).join(', ')}`);
  }
  await tf.ready();
  const info: PageInfo = {backend: tf.getBackend(), crossOriginIsolated: self.crossOriginIsolated};
  if (backend === 'webgl') {
    info.webglVersion = tf.env().getNumber('WEBGL_VERSION');
  }
  if (backend === 'wasm') {
    info.wasmThreads = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) as boolean;
  }
  return info;
}

(globalThis as {__mpPage?: unknown}).__mpPage = {ready: start(), run: runPageTest};
