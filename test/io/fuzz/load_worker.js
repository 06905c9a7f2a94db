// Loads each model.json it is given with mp.loadLayersModel, in a worker
// thread so that the test can stop it if a load never ends; reports each
// outcome (and any tensor or variable a failed load left) to the parent.
const {parentPort, workerData} = require('worker_threads');
const path = require('path');

require('ts-node').register({transpileOnly: true, compilerOptions: {module: 'commonjs'}});
// Quiet: tfjs's banners would reach the parent's output.
for (const key of ['log', 'warn', 'info', 'error']) {
  console[key] = () => undefined;
}
const root = path.resolve(__dirname, '..', '..', '..');
const tf = require('@tensorflow/tfjs');
require(path.join(root, 'layers'));
const {loadLayersModel} = require(path.join(root, 'src', 'io', 'load_layers_model'));

(async () => {
  await tf.setBackend('cpu');
  for (const [index, file] of workerData.files.entries()) {
    parentPort.postMessage({type: 'start', index});
    const tensors = tf.memory().numTensors;
    const variables = Object.keys(tf.engine().state.registeredVariables).length;
    let outcome;
    try {
      const model = await loadLayersModel(file);
      model.optimizer?.dispose();
      model.dispose();
      outcome = {ok: true};
    } catch (e) {
      outcome = {
        ok: false,
        errorClass: e?.constructor?.name ?? typeof e,
        message: String(e?.message ?? e),
        leakedTensors: tf.memory().numTensors - tensors,
        leakedVariables: Object.keys(tf.engine().state.registeredVariables).length - variables,
      };
    }
    parentPort.postMessage({type: 'done', index, ...outcome});
  }
  parentPort.postMessage({type: 'finished'});
})();
