// Builds dist/browser/tfjs-mixed-precision(.min).js: a script-tag (IIFE)
// bundle exposing the package as the global `mp`, on top of the page's
// global `tf` (see esbuild-tfjs-global.js).
'use strict';
const path = require('path');
const esbuild = require('esbuild');
const {tfjsGlobalPlugin} = require('./esbuild-tfjs-global');

const root = path.join(__dirname, '..');

async function main() {
  for (const minify of [false, true]) {
    await esbuild.build({
      entryPoints: [path.join(root, 'src', 'index.ts')],
      outfile: path.join(root, 'dist', 'browser', `tfjs-mixed-precision${minify ? '.min' : ''}.js`),
      bundle: true,
      format: 'iife',
      globalName: 'mp',
      platform: 'browser',
      target: 'es2017',
      minify,
      sourcemap: true,
      logLevel: 'warning',
      plugins: [tfjsGlobalPlugin],
    });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
