/**
 * The example from TF 1.14's `tf.keras.mixed_precision.experimental.Policy`
 * docs, translated to TF.js line by line. Run:
 *   npx ts-node --transpile-only examples/seed_example.ts
 *
 * Every tensor is float32 in tfjs storage; float16 here is the logical dtype
 * (values rounded to float16), reported by mp.dtypeOf.
 */
import * as tf from '@tensorflow/tfjs';

// In your project: import * as mp from 'tfjs-mixed-precision';
import * as mp from '../src';

/** Runs the example (also called by its smoke test). */
export async function main(): Promise<void> {
  await tf.setBackend('cpu');

  // tf.keras.mixed_precision.experimental.set_policy('infer_float32_vars')
  mp.setPolicy('infer_float32_vars');

  // model = tf.keras.models.Sequential(
  const model = tf.sequential({
    layers: [
      //   tf.keras.layers.Input((100,), dtype='float16'),
      mp.layers.inputLayer({inputShape: [100], dtype: 'float16'}),
      //   tf.keras.layers.Dense(10),
      mp.layers.dense({units: 10}),
      //   tf.keras.layers.Dense(10),
      mp.layers.dense({units: 10}),
      //   tf.keras.layers.Lambda(lambda x: tf.cast(x, 'float32')),
      mp.layers.cast({dtype: 'float32'}),
      //   tf.keras.layers.Activation('Softmax')
      mp.layers.activation({activation: 'softmax'}),
    ],
  });
  // )

  // (The functional form of the same model: Input(...) is mp.input.)
  const x = mp.input({shape: [100], dtype: 'float16'});
  const h = mp.layers.dense({units: 10}).apply(x) as tf.SymbolicTensor;
  const logits = mp.layers.dense({units: 10}).apply(h) as tf.SymbolicTensor;
  const probs = mp.layers.activation({activation: 'softmax'}).apply(
    mp.layers.cast({dtype: 'float32'}).apply(logits),
  ) as tf.SymbolicTensor;
  const functional = tf.model({inputs: x, outputs: probs});

  // for layer in model.layers: print(layer.name, layer.dtype, ...)
  console.log('Sequential model, dtypes per layer:');
  mp.layers.dtypeSummary(model);
  console.log('\nFunctional model: symbolic tensors', [x, h, logits, probs].map((t) => mp.dtypeOf(t)).join(' -> '));
  const dense = model.layers[1] as mp.layers.Dense; // layers[0] is the InputLayer
  // print(model.layers[1].kernel.dtype)  -> float32 variables
  console.log(`first Dense: policy ${dense.policy.name}, computes in ${dense.computeDtype}, kernel stored as ${dense.variableDtype} (tensor dtype ${dense.getWeights()[0]?.dtype})`);

  // model.compile('sgd', 'categorical_crossentropy'); model.fit(x, y)
  const optimizer = tf.train.sgd(0.5);
  model.compile({optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy']});
  const xs = tf.randomNormal([256, 100], 0, 1, 'float32', 1);
  const labels = tf.tidy(() => tf.oneHot(tf.argMax(tf.matMul(xs, tf.randomNormal([100, 10], 0, 1, 'float32', 2)), 1), 10));
  const history = await model.fit(xs, labels, {epochs: 5, batchSize: 32, verbose: 0});
  const losses = history.history['loss'] as number[];
  console.log(`\nfit: loss ${losses.map((l) => l.toFixed(3)).join(' -> ')}`);

  // model.predict(x)
  const predictions = tf.tidy(() => model.predict(xs.slice([0, 0], [3, 100])) as tf.Tensor);
  console.log('predict, first rows (rows sum to 1, float32 softmax):');
  predictions.print();
  // Each layer's own output keeps its logical dtype:
  const hidden = tf.tidy(() => dense.apply(xs.slice([0, 0], [2, 100])) as tf.Tensor);
  console.log(`dtypeOf(first Dense output) = ${mp.dtypeOf(hidden)}; dtypeOf(model output) = float32 (cast + softmax)`);
  console.log('\nmodel.summary() (tfjs prints no dtype column; see dtypeSummary above):');
  model.summary();
  tf.dispose([xs, labels, predictions, hidden]);
  functional.dispose();
  model.dispose();
  optimizer.dispose();
  mp.setPolicy(null);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
