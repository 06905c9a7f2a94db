/**
 * A small ResNet-style convnet (convolutions, BatchNormalization, a residual
 * Add, global average pooling), written with stock tf.layers, turned into a
 * mixed_float16 model by mp.applyPolicy (the softmax kept in float32), and
 * trained with model.fit on synthetic images. compile wraps the optimizer in
 * a dynamic LossScaleOptimizer by itself, as Keras does. Run:
 *   npx ts-node --transpile-only examples/resnet_batchnorm_example.ts [--quick]
 *
 * Convolutions, the Add and the pooling compute in float16 (values rounded
 * exactly to float16); BatchNormalization normalizes in float32 with float32
 * moving statistics and rounds its output; all variables stay float32; the
 * softmax runs in float32.
 */
import * as tf from '@tensorflow/tfjs';

// In your project: import * as mp from 'tfjs-mixed-precision';
import * as mp from '../src';

/** What a run reports (also checked by the examples test). */
export interface ResnetSummary {
  backend: string;
  optimizer: string;
  innerOptimizer: string;
  losses: number[];
  lossScales: number[];
  accuracy: number;
  policies: Record<string, string>;
}

function convBnRelu(x: tf.SymbolicTensor, filters: number, relu = true): tf.SymbolicTensor {
  const conv = tf.layers.conv2d({filters, kernelSize: 3, padding: 'same', useBias: false}).apply(x);
  const bn = tf.layers.batchNormalization().apply(conv) as tf.SymbolicTensor;
  return relu ? (tf.layers.activation({activation: 'relu'}).apply(bn) as tf.SymbolicTensor) : bn;
}

/** The model as plain tfjs code would build it (float32). */
export function buildResnet(): tf.LayersModel {
  const input = tf.input({shape: [16, 16, 1]});
  const stem = convBnRelu(input, 8);
  // One residual block: two conv-BN pairs and the shortcut, added.
  const branch = convBnRelu(convBnRelu(stem, 8), 8, false);
  const sum = tf.layers.add().apply([stem, branch]) as tf.SymbolicTensor;
  const block = tf.layers.activation({activation: 'relu'}).apply(sum) as tf.SymbolicTensor;
  const pooled = tf.layers.globalAveragePooling2d({}).apply(block);
  const logits = tf.layers.dense({units: 4}).apply(pooled);
  const probs = tf.layers.activation({activation: 'softmax', name: 'probabilities'}).apply(logits) as tf.SymbolicTensor;
  return tf.model({inputs: input, outputs: probs, name: 'resnet_mini'});
}

/** Images with a bright square in one quadrant; the label is the quadrant. */
function quadrantData(n: number, seed: number): {xs: tf.Tensor4D; ys: tf.Tensor2D} {
  const labels = Array.from({length: n}, (_, i) => (i * 7 + seed) % 4);
  return tf.tidy(() => {
    const noise = tf.randomUniform([n, 16, 16, 1], 0, 0.3, 'float32', seed);
    const squares = labels.map((q) => {
      const row = q < 2 ? 2 : 10;
      const col = q % 2 === 0 ? 2 : 10;
      return tf.pad(tf.ones([4, 4, 1]), [[row, 12 - row], [col, 12 - col], [0, 0]]);
    });
    return {xs: tf.add(noise, tf.stack(squares)) as tf.Tensor4D, ys: tf.oneHot(tf.tensor1d(labels, 'int32'), 4) as tf.Tensor2D};
  });
}

/** Runs the example (also called by its smoke test with `--quick`). */
export async function main(args: string[] = process.argv.slice(2)): Promise<ResnetSummary> {
  const quick = args.includes('--quick');
  // Imported here, not at the top: registering wasm makes it the default
  // backend of any process that merely imports this module.
  await import('@tensorflow/tfjs-backend-wasm');
  const backend = (await tf.setBackend('wasm')) ? 'wasm' : (await tf.setBackend('cpu'), 'cpu');
  console.log(`backend: ${backend}`);

  const stock = buildResnet();
  // Every layer under mixed_float16 except the softmax (float32 is the
  // recommended ending); same topology and weights.
  const model = mp.applyPolicy(stock, 'mixed_float16', {probabilities: 'float32'});
  stock.dispose();
  mp.layers.dtypeSummary(model);
  // Loss scaling comes from compile: the model has mixed_float16 layers.
  // (Opt out with autoScaleLoss: false.)
  model.compile({optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy']});
  const lso = model.optimizer as mp.LossScaleOptimizer;
  console.log(`optimizer: ${lso.getClassName()} around ${lso.innerOptimizer.getClassName()}`);

  const train = quadrantData(quick ? 64 : 512, 1);
  const test = quadrantData(64, 2);
  const losses: number[] = [];
  const lossScales: number[] = [];
  await model.fit(train.xs, train.ys, {
    epochs: quick ? 2 : 6,
    batchSize: 32,
    shuffle: true,
    verbose: 0,
    callbacks: {
      onEpochEnd: async (epoch, logs) => {
        losses.push(logs?.['loss'] as number);
        lossScales.push(logs?.['lossScale'] as number);
        console.log(
          `epoch ${epoch + 1}: loss ${logs?.['loss']?.toFixed(4)}  accuracy ${logs?.['acc']?.toFixed(3)}  loss scale ${logs?.['lossScale']}`,
        );
      },
    },
  });
  const accuracy = tf.tidy(() =>
    tf.mean(tf.cast(tf.equal(tf.argMax(model.predict(test.xs) as tf.Tensor, 1), tf.argMax(test.ys, 1)), 'float32')).dataSync()[0]!,
  );
  console.log(`test accuracy ${accuracy.toFixed(3)}`);
  const policies = Object.fromEntries(
    model.layers.map((l) => [l.name, (l as Partial<mp.layers.PolicyAware>).policy?.name ?? '-']),
  );
  const summary: ResnetSummary = {
    backend,
    optimizer: lso.getClassName(),
    innerOptimizer: lso.innerOptimizer.getClassName(),
    losses,
    lossScales,
    accuracy,
    policies,
  };
  tf.dispose([train.xs, train.ys, test.xs, test.ys]);
  model.dispose();
  lso.dispose(); // compile was given an optimizer instance: the model does not own it
  return summary;
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
