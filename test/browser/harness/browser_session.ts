// The Node side of the harness: one Chromium, one static server and the
// built page bundles per session; one page per backend. A page test runs by
// name (see page_api.ts) and its JSON result comes back; the run fails if
// the page test threw or left more live tensors than it found.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import type {Page} from 'playwright-core';

import {launchChromium, LaunchedChromium} from './chromium';
import {buildPageBundle, PackageSource} from './page_bundle';
import type {PageRunResult} from './page_api';
import type {PageInfo} from './page_main';
import {startStaticServer, StaticServer} from './static_server';

export type BrowserBackend = 'cpu' | 'wasm' | 'webgl' | 'webgpu';

/** Every backend the browser suite covers. */
export const BROWSER_BACKENDS: readonly BrowserBackend[] = ['cpu', 'wasm', 'webgl', 'webgpu'];

export interface BrowserSessionOptions {
  /** COOP/COEP headers: the page is cross-origin isolated and the wasm backend loads its threaded build. */
  crossOriginIsolated?: boolean;
  /** More page modules (absolute paths) to bundle with test/browser/pages/*.page.ts, e.g. a bench's. */
  extraPageModules?: readonly string[];
}

export interface OpenPageOptions {
  /** 'source' (default): the package bundled from src/; 'dist': the prebuilt dist/browser script. */
  packageFrom?: PackageSource;
  /** tfjs flags set before the backend starts, e.g. {WEBGL_VERSION: 1}. */
  flags?: Record<string, number | boolean>;
  /** Page width and height in CSS pixels (screenshots). */
  viewport?: {width: number; height: number};
}

export interface RunOptions {
  /** Let the live tensor count grow by up to this many (default 0). */
  allowedNewTensors?: number;
}

/** One page with tfjs on one backend. */
export interface BrowserPage {
  readonly info: PageInfo;
  /** The playwright page (screenshots, extra evaluation). */
  readonly page: Page;
  readonly origin: string;
  /** Runs the page test `name` with `args`; its result, or throws with the page's error. */
  run<T>(name: string, args?: unknown, options?: RunOptions): Promise<T>;
  close(): Promise<void>;
}

export interface BrowserSession {
  readonly origin: string;
  openPage(backend: BrowserBackend, options?: OpenPageOptions): Promise<BrowserPage>;
  close(): Promise<void>;
}

const ROOT = path.join(__dirname, '..', '..', '..');
const MODULES = path.join(ROOT, 'node_modules', '@tensorflow');

function pageHtml(bundle: string, packageFrom: PackageSource): string {
  const scripts = [
    '/tfjs/tf.min.js',
    '/tfjs-backend-wasm/tf-backend-wasm.min.js',
    '/tfjs-backend-webgpu/tf-backend-webgpu.min.js',
    ...(packageFrom === 'dist' ? ['/dist/tfjs-mixed-precision.min.js'] : []),
    `/bundles/${bundle}`,
  ];
  return [
    '<!doctype html>',
    '<html><head><meta charset="utf-8"><title>tfjs-mixed-precision browser tests</title>',
    ...scripts.map((src) => `<script src="${src}"></script>`),
    '</head><body></body></html>',
  ].join('\n');
}

/** Starts the server and Chromium (`executablePath`) and builds both page bundles. */
export async function openBrowserSession(
  executablePath: string,
  options: BrowserSessionOptions = {},
): Promise<BrowserSession> {
  const distBundle = path.join(ROOT, 'dist', 'browser', 'tfjs-mixed-precision.min.js');
  if (!fs.existsSync(distBundle)) {
    throw new Error(`${distBundle} is missing: run \`npm run build\` (npm test does) before the browser tests.`);
  }
  const bundles = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-browser-bundles-'));
  let server: StaticServer | undefined;
  let chromium: LaunchedChromium | undefined;
  try {
    await Promise.all([
      buildPageBundle(path.join(bundles, 'pages.source.js'), 'source', options.extraPageModules),
      buildPageBundle(path.join(bundles, 'pages.dist.js'), 'dist', options.extraPageModules),
    ]);
    server = await startStaticServer({
      directories: {
        '/tfjs/': path.join(MODULES, 'tfjs', 'dist'),
        '/tfjs-backend-wasm/': path.join(MODULES, 'tfjs-backend-wasm', 'dist'),
        '/tfjs-backend-webgpu/': path.join(MODULES, 'tfjs-backend-webgpu', 'dist'),
        '/dist/': path.join(ROOT, 'dist', 'browser'),
        '/bundles/': bundles,
        '/node_modules/': path.join(ROOT, 'node_modules'),
      },
      pages: {
        '/source.html': pageHtml('pages.source.js', 'source'),
        '/dist.html': pageHtml('pages.dist.js', 'dist'),
      },
      crossOriginIsolated: options.crossOriginIsolated === true,
    });
    chromium = await launchChromium(executablePath);
  } catch (error) {
    await server?.close();
    fs.rmSync(bundles, {recursive: true, force: true});
    throw error;
  }
  const {origin} = server;
  const openServer = server;
  const browser = chromium;
  return {
    origin,
    openPage: (backend, pageOptions = {}) => openPage(browser, origin, backend, pageOptions),
    close: async () => {
      await browser.close();
      await openServer.close();
      fs.rmSync(bundles, {recursive: true, force: true});
    },
  };
}

async function openPage(
  chromium: LaunchedChromium,
  origin: string,
  backend: BrowserBackend,
  options: OpenPageOptions,
): Promise<BrowserPage> {
  const packageFrom = options.packageFrom ?? 'source';
  const page = await chromium.browser.newPage({viewport: options.viewport ?? {width: 1000, height: 700}});
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  try {
    const flags = encodeURIComponent(JSON.stringify(options.flags ?? {}));
    await page.goto(`${origin}/${packageFrom}.html?backend=${backend}&flags=${flags}`);
    const info = await page.evaluate(() => (globalThis as unknown as {__mpPage: {ready: Promise<PageInfo>}}).__mpPage.ready);
    if (info.backend !== backend) {
      throw new Error(`asked for backend '${backend}', the page runs '${info.backend}'`);
    }
    return {
      info,
      page,
      origin,
      run: async <T>(name: string, args?: unknown, runOptions: RunOptions = {}): Promise<T> => {
        const outcome = await page.evaluate(
          ([n, a]) => (globalThis as unknown as {__mpPage: {run(n: string, a: unknown): Promise<PageRunResult>}}).__mpPage.run(n, a),
          [name, args] as const,
        );
        if (!outcome.ok) {
          throw new Error(`page test '${name}' on ${backend} failed: ${outcome.error}`);
        }
        const allowed = runOptions.allowedNewTensors ?? 0;
        if (outcome.tensorsAfter > outcome.tensorsBefore + allowed) {
          throw new Error(
            `page test '${name}' on ${backend} leaked tensors: ${outcome.tensorsBefore} live before, ${outcome.tensorsAfter} after`,
          );
        }
        return outcome.result as T;
      },
      close: () => page.close(),
    };
  } catch (error) {
    await page.close();
    const extra = pageErrors.length > 0 ? ` (page errors: ${pageErrors.join('; ')})` : '';
    throw new Error(`opening the ${backend} test page failed: ${(error as Error).message}${extra}`);
  }
}
