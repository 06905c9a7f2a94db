/**
 * Will this model survive half precision? The per-layer precision audit on
 * two models, and half-size (float16) weights that stock TensorFlow.js loads.
 * Run:
 *   npx ts-node --transpile-only examples/precision_audit_example.ts [--quick] [--out DIR]
 *
 * 1. The demo's MNIST convnet (examples/demo/models.ts) on a batch of real
 *    MNIST digits: every layer fine in float16.
 * 2. A regression on unnormalized features (house sizes in square feet and
 *    previous sale prices in dollars, synthetic): the inputs, the first
 *    Dense's outputs and the gradients pass 65504 and become Inf in float16.
 *    The same model on standardized features and targets is fine.
 * 3. The convnet saved with float16 weights (half the bytes) and loaded with
 *    stock `tf.loadLayersModel`.
 */
import * as tf from '@tensorflow/tfjs';
import * as fs from 'fs';
import * as path from 'path';

// In your project: import * as mp from 'tfjs-mixed-precision';
import * as mp from '../src';
import {chooseBackend} from './demo/backend_choice';
import {loadMnist} from './demo/mnist';
import {buildModel} from './demo/models';

export interface AuditExampleResult {
  readonly convnet: mp.PrecisionAudit;
  readonly unnormalized: mp.PrecisionAudit;
  readonly normalized: mp.PrecisionAudit;
  /** Weight file bytes of the convnet saved as float32 and with float16 weights. */
  readonly weightBytes: {readonly float32: number; readonly float16: number};
  /** Largest |difference| between the original's and the stock-loaded half-size model's predictions. */
  readonly maxPredictionDifference: number;
  readonly files: readonly string[];
}

/** Runs the example (also called by its smoke test). */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<AuditExampleResult> {
  const quick = argv.includes('--quick');
  const outIndex = argv.indexOf('--out');
  const out = path.resolve(outIndex >= 0 ? (argv[outIndex + 1] ?? 'out') : 'out', 'precision-audit');
  fs.mkdirSync(out, {recursive: true});
  const backend = await chooseBackend();
  console.log(`backend: ${backend.name}`);
  const files: string[] = [];
  const write = (name: string, text: string): void => {
    const file = path.join(out, name);
    fs.writeFileSync(file, text);
    files.push(file);
  };

  // 1. The demo's convnet on MNIST digits.
  const batch = quick ? 32 : 128;
  const {model: convnet} = buildModel('convnet', 'float32');
  const mnist = loadMnist({trainCount: batch, testCount: 1});
  const images = tf.tensor4d(mnist.train.images, [batch, 28, 28, 1]);
  const labels = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from(mnist.train.labels), 'int32'), 10).toFloat());
  const convnetAudit = mp.precisionAudit(convnet, images, labels, {loss: 'categoricalCrossentropy'});
  console.log(`\n1. The demo's convnet, ${batch} MNIST digits, untrained (seeded) weights:\n`);
  console.log(mp.formatPrecisionAudit(convnetAudit));
  write('convnet-audit.svg', mp.precisionAuditSvg(convnetAudit, "Precision audit: the demo's MNIST convnet"));

  // 2. Unnormalized features.
  const houses = syntheticHouses(quick ? 64 : 256);
  const regression = regressionModel();
  const unnormalized = mp.precisionAudit(regression, houses.x, houses.y, {loss: 'meanSquaredError'});
  console.log(`\n2. A regression on unnormalized features (square feet, dollars):\n`);
  console.log(mp.formatPrecisionAudit(unnormalized));
  write('unnormalized-audit.svg', mp.precisionAuditSvg(unnormalized, 'Precision audit: regression on unnormalized features'));
  const standardized = tf.tidy(() => {
    const {mean, variance} = tf.moments(houses.x, 0);
    const yMoments = tf.moments(houses.y, 0);
    return [tf.div(tf.sub(houses.x, mean), tf.sqrt(variance)), tf.div(tf.sub(houses.y, yMoments.mean), tf.sqrt(yMoments.variance))];
  });
  const sameModel = regressionModel(); // the same seeded initial weights
  const normalized = mp.precisionAudit(sameModel, standardized[0]!, standardized[1]!, {loss: 'meanSquaredError'});
  console.log(`\n   The same model on standardized features and targets:\n`);
  console.log(mp.formatPrecisionAudit(normalized));

  // 3. Half-size weights, loaded with stock tfjs.
  const float32Dir = path.join(out, 'convnet-float32');
  const float16Dir = path.join(out, 'convnet-float16');
  await convnet.save(mp.io.fileSystem(float32Dir));
  await convnet.save(mp.io.float16Weights(mp.io.fileSystem(float16Dir)));
  const weightBytes = {float32: weightFileBytes(float32Dir), float16: weightFileBytes(float16Dir)};
  const stock = await tf.loadLayersModel(stockFileHandler(float16Dir));
  const [before, after] = [convnet.predict(images) as tf.Tensor, stock.predict(images) as tf.Tensor];
  const maxPredictionDifference = tf.tidy(() => tf.max(tf.abs(tf.sub(before, after))).dataSync()[0] as number);
  console.log(
    `\n3. The convnet with float16 weights: ${weightBytes.float16} bytes of weights instead of ${weightBytes.float32} ` +
      `(ratio ${(weightBytes.float16 / weightBytes.float32).toFixed(2)}); loaded with stock tf.loadLayersModel, ` +
      `its predictions differ from the float32 model's by at most ${maxPredictionDifference.toExponential(2)}.`,
  );
  write(
    'report.html',
    mp
      .precisionAuditHtml(convnetAudit, mp.formatPrecisionAudit(convnetAudit), "The demo's MNIST convnet")
      .replace('</body></html>', `${mp.precisionAuditSvg(unnormalized, 'Regression on unnormalized features')}\n</body></html>`),
  );
  write(
    'tables.md',
    [
      "The demo's convnet:",
      mp.formatPrecisionAudit(convnetAudit, {markdown: true}),
      'Unnormalized features:',
      mp.formatPrecisionAudit(unnormalized, {markdown: true}),
      'Standardized features:',
      mp.formatPrecisionAudit(normalized, {markdown: true}),
    ].join('\n\n') + '\n',
  );
  console.log(`\nwrote ${files.join(', ')}`);
  tf.dispose([images, labels, houses.x, houses.y, ...standardized, before, after]);
  for (const m of [convnet, stock, regression, sameModel]) {
    m.dispose();
  }
  return {convnet: convnetAudit, unnormalized, normalized, weightBytes, maxPredictionDifference, files};
}

/** Living area and lot (square feet), previous sale price (dollars) -> price (dollars). Seeded. */
function syntheticHouses(n: number): {x: tf.Tensor2D; y: tf.Tensor2D} {
  return tf.tidy(() => {
    const area = tf.randomUniform([n, 1], 600, 4000, 'float32', 7);
    const lot = tf.randomUniform([n, 1], 2000, 40000, 'float32', 8);
    const lastSale = tf.add(tf.mul(area, 90), tf.randomUniform([n, 1], 20000, 120000, 'float32', 9));
    const price = tf.add(tf.add(tf.mul(lastSale, 1.2), tf.mul(lot, 2)), tf.randomNormal([n, 1], 0, 15000, 'float32', 10));
    return {x: tf.concat([area, lot, lastSale], 1) as tf.Tensor2D, y: price as tf.Tensor2D};
  });
}

function regressionModel(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.dense({inputShape: [3], units: 32, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({seed: 11})}),
      tf.layers.dense({units: 1, kernelInitializer: tf.initializers.glorotUniform({seed: 12})}),
    ],
  });
}

function weightFileBytes(dir: string): number {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.bin')).reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
}

// What stock tfjs does for a model over http, from local files: only
// tf.io functions, nothing of this package.
function stockFileHandler(dir: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const bytes = Buffer.concat(manifest.flatMap((g) => g.paths.map((p) => fs.readFileSync(path.join(dir, p)))));
        return [tf.io.getWeightSpecs(manifest), new Uint8Array(bytes).buffer];
      });
    },
  };
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
