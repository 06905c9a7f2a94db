/**
 * A small convnet built from mp.layers under the mixed_float16 policy,
 * trained a few steps with model.fit on synthetic data. Run:
 *   npx ts-node --transpile-only examples/convnet_example.ts
 *
 * Convolutions and the Dense compute in float16 (values rounded exactly to
 * float16), variables stay float32, and the softmax runs in float32.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

// In your project: import * as mp from 'tfjs-mixed-precision';
import * as mp from '../src';

/** Runs the example (also called by its smoke test). */
export async function main(): Promise<void> {
  const backend = (await tf.setBackend('wasm')) ? 'wasm' : (await tf.setBackend('cpu'), 'cpu');
  console.log(`backend: ${backend}`);

  mp.setGlobalPolicy('mixed_float16');
  const model = tf.sequential({
    layers: [
      mp.layers.conv2d({filters: 8, kernelSize: 3, activation: 'relu', inputShape: [16, 16, 1]}),
      tf.layers.maxPooling2d({poolSize: 2}),
      mp.layers.conv2d({filters: 16, kernelSize: 3, activation: 'relu'}),
      tf.layers.flatten(),
      mp.layers.dense({units: 4}),
      // The recommended ending: softmax in float32.
      mp.layers.activation({activation: 'softmax', dtype: 'float32'}),
    ],
  });
  mp.setGlobalPolicy(null);
  mp.layers.dtypeSummary(model);

  // Synthetic task: which quadrant of the image holds a bright square.
  const n = 256;
  const labels = Array.from({length: n}, (_, i) => i % 4);
  const images = tf.tidy(() => {
    const noise = tf.randomUniform([n, 16, 16, 1], 0, 0.3, 'float32', 1);
    const masks = labels.map((q) => {
      const row = q < 2 ? 2 : 10;
      const col = q % 2 === 0 ? 2 : 10;
      return tf.pad(tf.ones([4, 4, 1]), [[row, 12 - row], [col, 12 - col], [0, 0]]);
    });
    return tf.add(noise, tf.stack(masks));
  });
  const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), 4));

  const optimizer = tf.train.adam(0.01);
  model.compile({optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy']});
  const t0 = performance.now();
  await model.fit(images, ys, {
    epochs: 4,
    batchSize: 32,
    shuffle: true,
    verbose: 0,
    callbacks: {
      onEpochEnd: async (epoch, logs) =>
        console.log(`epoch ${epoch + 1}: loss ${logs?.['loss']?.toFixed(4)}  accuracy ${logs?.['acc']?.toFixed(3)}`),
    },
  });
  const steps = 4 * Math.ceil(n / 32);
  console.log(`${steps} steps in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const conv = model.layers[0] as mp.layers.Conv2D;
  const kernel = conv.getWeights()[0] as tf.Tensor;
  const features = tf.tidy(() => conv.apply(images.slice([0, 0, 0, 0], [2, 16, 16, 1])) as tf.Tensor);
  console.log(
    `first conv: policy ${conv.policy.name}; kernel ${kernel.dtype} (float32 master weights); ` +
      `output logical dtype ${mp.dtypeOf(features)}`,
  );
  tf.dispose([images, ys, features]);
  model.dispose();
  optimizer.dispose(); // a passed-in optimizer is not the model's to dispose
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
