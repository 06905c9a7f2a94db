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

import {MixedTrainingSummary, trainMixed} from './train_mixed';

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
export async function main(args: string[] = process.argv.slice(2)): Promise<MixedTrainingSummary> {
  const quick = args.includes('--quick');
  // Imported here, not at the top: registering wasm makes it the default
  // backend of any process that merely imports this module.
  await import('@tensorflow/tfjs-backend-wasm');
  const backend = (await tf.setBackend('wasm')) ? 'wasm' : (await tf.setBackend('cpu'), 'cpu');
  console.log(`backend: ${backend}`);

  return trainMixed(buildResnet(), {
    backend,
    keepFloat32: 'probabilities',
    learningRate: 0.01,
    loss: 'categoricalCrossentropy',
    epochs: quick ? 2 : 6,
    train: quadrantData(quick ? 64 : 512, 1),
    test: quadrantData(64, 2),
    accuracy: (predictions, labels) => tf.mean(tf.cast(tf.equal(tf.argMax(predictions, 1), tf.argMax(labels, 1)), 'float32')),
  });
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
