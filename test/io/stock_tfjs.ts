// Runs stock @tensorflow/tfjs in a child process, without this package
// imported anywhere, to load a saved model directory and predict: what a
// user of plain tfjs gets from our files.
import {execFileSync} from 'child_process';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

const SCRIPT = `
const tf = require('@tensorflow/tfjs');
const fs = require('fs');
const path = require('path');
const [dir, inputJson] = process.argv.slice(1);
const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
const handler = {load: () => tf.io.getModelArtifactsForJSON(json, async (manifest) => {
  const files = manifest.flatMap((g) => g.paths.map((p) => fs.readFileSync(path.join(dir, p))));
  const all = Buffer.concat(files);
  return [tf.io.getWeightSpecs(manifest), all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength)];
})};
(async () => {
  await tf.setBackend('cpu');
  const model = await tf.loadLayersModel(handler);
  const input = JSON.parse(inputJson);
  const y = model.predict(tf.tensor(input.values, input.shape));
  const bits = Array.from(new Uint32Array((await y.data()).buffer));
  const weights = model.getWeights().map((w) => Array.from(new Uint32Array(w.dataSync().buffer)));
  process.stdout.write('RESULT:' + JSON.stringify({bits, weights}));
})().catch((e) => { process.stderr.write(String(e && e.message || e)); process.exit(1); });
`;

/** Float32 bit patterns of stock tfjs's prediction and weights for the model in `dir`. */
export function stockPredictBits(dir: string, values: number[], shape: number[]): {bits: number[]; weights: number[][]} {
  const out = execFileSync(process.execPath, ['-e', SCRIPT, dir, JSON.stringify({values, shape})], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(out.slice(out.indexOf('RESULT:') + 7)) as {bits: number[]; weights: number[][]};
}
