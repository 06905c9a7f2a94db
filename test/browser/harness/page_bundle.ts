// Builds the page bundle: every test/browser/pages/*.page.ts plus
// page_main.ts, with @tensorflow/tfjs mapped to the page's global `tf`.
// 'source' bundles the package from src/ (one copy: page tests may reach
// internals); 'dist' maps imports of the package's entry to the global `mp`
// of the prebuilt script-tag bundle, so the page tests run against it.
import * as fs from 'fs';
import * as path from 'path';

import * as esbuild from 'esbuild';

import {tfjsGlobalPlugin} from '../../../scripts/esbuild-tfjs-global';

export type PackageSource = 'source' | 'dist';

const ROOT = path.join(__dirname, '..', '..', '..');
const PAGES = path.join(__dirname, '..', 'pages');

/** Maps imports of src/index and layers/index to the dist bundle's global `mp`. */
const packageGlobalPlugin: esbuild.Plugin = {
  name: 'package-global',
  setup(build) {
    build.onResolve({filter: /(^|\/)(src|layers)(\/index)?$/}, (args) => {
      const resolved = path.resolve(args.resolveDir, args.path);
      if (resolved === path.join(ROOT, 'src') || resolved === path.join(ROOT, 'src', 'index')) {
        return {path: 'mp', namespace: 'package-global'};
      }
      if (resolved === path.join(ROOT, 'layers') || resolved === path.join(ROOT, 'layers', 'index')) {
        return {path: 'mp.layers', namespace: 'package-global'};
      }
      return undefined;
    });
    build.onLoad({filter: /.*/, namespace: 'package-global'}, (args) => ({
      contents: `module.exports = globalThis.${args.path};`,
      loader: 'js',
    }));
  },
};

/** The page modules, sorted (their names are the test files' business). */
export function pageModules(): string[] {
  return fs
    .readdirSync(PAGES)
    .filter((f) => f.endsWith('.page.ts'))
    .sort()
    .map((f) => path.join(PAGES, f));
}

/** Writes the bundle to `outfile`; `extraModules` (absolute paths, e.g. benches' pages) are added. */
export async function buildPageBundle(
  outfile: string,
  packageFrom: PackageSource,
  extraModules: readonly string[] = [],
): Promise<void> {
  const imports = [...pageModules(), ...extraModules, path.join(__dirname, 'page_main.ts')];
  await esbuild.build({
    stdin: {
      contents: imports.map((file) => `import ${JSON.stringify(file)};`).join('\n'),
      resolveDir: ROOT,
      loader: 'ts',
      sourcefile: 'browser-test-pages.ts',
    },
    outfile,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    sourcemap: 'inline',
    logLevel: 'silent',
    plugins: packageFrom === 'dist' ? [packageGlobalPlugin, tfjsGlobalPlugin] : [tfjsGlobalPlugin],
  });
}
