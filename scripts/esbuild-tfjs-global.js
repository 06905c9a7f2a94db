// An esbuild plugin that maps `@tensorflow/tfjs` (and its sub-packages) to
// the page's global `tf`, as tfjs's own script-tag plugins do: a page that
// loads tf.min.js and this package shares one tfjs engine (bundling tfjs in
// would give a second engine, with its own backends and kernel registry).
'use strict';

const TFJS = /^@tensorflow\/tfjs(-core|-layers|-converter|-data)?$/;

const tfjsGlobalPlugin = {
  name: 'tfjs-global',
  setup(build) {
    build.onResolve({filter: TFJS}, (args) => ({path: args.path, namespace: 'tfjs-global'}));
    build.onLoad({filter: /.*/, namespace: 'tfjs-global'}, () => ({
      contents:
        "if (typeof globalThis.tf !== 'object' || globalThis.tf === null) {\n" +
        "  throw new Error('tfjs-mixed-precision needs TensorFlow.js loaded first: add <script src=\"https://cdn.jsdelivr.net/npm/@tensorflow/tfjs@4.22.0/dist/tf.min.js\"></script> before it.');\n" +
        '}\n' +
        'module.exports = globalThis.tf;\n',
      loader: 'js',
    }));
  },
};

module.exports = {tfjsGlobalPlugin};
