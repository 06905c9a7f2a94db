// The package through a bundler, as a web app would take it: esbuild
// bundles the built ES-module entry (dist/esm/index.mjs, via the package's
// "exports") for the browser. It must build without any Node built-in
// (esbuild fails on an unresolvable 'fs' for platform 'browser'), and the
// prebuilt script-tag bundle must not contain tfjs itself.
import * as fs from 'fs';
import * as path from 'path';

import * as esbuild from 'esbuild';

const root = path.join(__dirname, '..', '..');

describe('bundling for the browser', () => {
  beforeAll(() => {
    if (!fs.existsSync(path.join(root, 'dist', 'esm', 'index.mjs'))) {
      throw new Error('dist/ is missing: run `npm run build` (npm test does) before this test.');
    }
  });

  it('esbuild bundles `import * as mp from "tfjs-mixed-precision"` for the browser with no Node built-in', async () => {
    const result = await esbuild.build({
      stdin: {
        contents: "import * as mp from 'tfjs-mixed-precision'; globalThis.mp = mp;",
        resolveDir: root,
        loader: 'js',
      },
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'esm',
      external: ['@tensorflow/*'],
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs).toContain('dist/esm/index.mjs');
    expect(inputs.filter((f) => !f.startsWith('dist/') && f !== '<stdin>')).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  it('the script-tag bundle uses the global tf and defines the global mp', () => {
    const bundle = fs.readFileSync(path.join(root, 'dist', 'browser', 'tfjs-mixed-precision.js'), 'utf8');
    // Booleans, not toContain: a failure must not print the whole bundle.
    expect(bundle.includes('var mp = (() => {')).toBe(true);
    expect(/module\d*\.exports = globalThis\.tf;/.test(bundle)).toBe(true);
    // tfjs's own sources are not in it (a second engine would break the page).
    expect(bundle.includes('tfjs-core/dist')).toBe(false);
    expect(fs.statSync(path.join(root, 'dist', 'browser', 'tfjs-mixed-precision.min.js')).size).toBeLessThan(200_000);
  });
});
