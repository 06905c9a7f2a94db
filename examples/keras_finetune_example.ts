/**
 * Fine-tune a Keras-trained model in mixed precision with TF.js. Run:
 *   npx ts-node --transpile-only examples/keras_finetune_example.ts
 *
 * 1. Load a model Keras 3.4 saved and the tfjs converter converted (stock
 *    tf.loadLayersModel refuses its Keras 3 topology, tfjs issue #8328).
 * 2. Switch it to mixed precision: the same layers under 'mixed_float16'
 *    (float32 variables, float16 compute), the output layer kept in float32
 *    as Keras recommends, the Keras weights copied over.
 * 3. Fine-tune a few steps with a LossScaleOptimizer on small synthetic data.
 * 4. Save with mp.io.fileSystem (no tfjs-node needed) and load it back.
 */
import * as tf from '@tensorflow/tfjs';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// In your project: import * as mp from 'tfjs-mixed-precision';
import * as mp from '../src';

const KERAS_MODEL = path.join(__dirname, '..', 'test', 'fixtures', 'keras-models', 'keras3.4-dense-dtypepolicy');

function policies(model: tf.LayersModel): string {
  return model.layers.map((l) => `${l.name}: ${(l as {policy?: {name: string}}).policy?.name ?? '-'}`).join(', ');
}

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  const probe = tf.tensor2d([[0], [1]]);

  // 1. The Keras 3.4 model: Input[1] -> Dense(16, relu) -> Dense(1, sigmoid),
  //    every Dense carrying a float32 DTypePolicy.
  //    {compile: true} also rebuilds its Keras training_config (RMSprop,
  //    binary_crossentropy, accuracy), which stock tfjs ignores.
  const keras = await mp.loadLayersModel(KERAS_MODEL, {compile: true});
  const kerasOptimizer = keras.optimizer as tf.RMSPropOptimizer;
  console.log(`loaded  ${policies(keras)}`);
  console.log(`  Keras training config: ${kerasOptimizer.getClassName()}(lr ${Number(kerasOptimizer.getConfig()['learningRate']).toPrecision(3)}), loss ${keras.loss}`);
  console.log(`  predict([0, 1]) = ${Array.from((keras.predict(probe) as tf.Tensor).dataSync()).map((v) => v.toFixed(7))}`);

  // 2. The same architecture under mixed_float16; the sigmoid output stays
  //    float32. Mixed policies keep float32 variables, so Keras's float32
  //    weights load unchanged.
  const mixed = mp.withPolicy('mixed_float16', () => {
    const x = tf.input({shape: [1], name: 'input_layer'});
    const h = mp.layers.dense({units: 16, activation: 'relu', name: 'dense'}).apply(x);
    const y = mp.layers.dense({units: 1, activation: 'sigmoid', dtype: 'float32', name: 'dense_1'}).apply(h);
    return tf.model({inputs: x, outputs: y as tf.SymbolicTensor, name: 'mixed'});
  });
  mixed.setWeights(keras.getWeights());
  console.log(`mixed   ${policies(mixed)}`);
  console.log(`  predict([0, 1]) = ${Array.from((mixed.predict(probe) as tf.Tensor).dataSync()).map((v) => v.toFixed(7))}`);

  // 3. Fine-tune with the Keras optimizer, loss-scaled (float16 gradients
  //    would underflow without it): learn y = (x > 0.5) on 64 points.
  const xs = tf.randomUniform([64, 1], -2, 2, 'float32', 42);
  const ys = tf.cast(tf.greater(xs, 0.5), 'float32');
  const optimizer = new mp.LossScaleOptimizer(kerasOptimizer);
  mixed.compile({optimizer, loss: keras.loss as string, metrics: ['accuracy']});
  const history = await mixed.fit(xs, ys, {epochs: 25, batchSize: 8, verbose: 0});
  const loss = history.history['loss'] as number[];
  const acc = history.history['acc'] as number[];
  console.log(
    `fit     loss ${loss[0]!.toFixed(4)} -> ${loss[loss.length - 1]!.toFixed(4)}, ` +
      `accuracy ${acc[0]!.toFixed(3)} -> ${acc[acc.length - 1]!.toFixed(3)}, loss scale ${optimizer.lossScale}`,
  );

  // 4. Save (with the optimizer state) and reload: same policies, same numbers.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-finetune-'));
  await mixed.save(mp.io.fileSystem(dir), {includeOptimizer: true});
  console.log(`saved   ${dir}: ${fs.readdirSync(dir).sort().join(', ')}`);
  const reloaded = await mp.loadLayersModel(dir);
  console.log(`reload  ${policies(reloaded)}; optimizer ${reloaded.optimizer.getClassName()}`);
  const before = (mixed.predict(xs) as tf.Tensor).dataSync();
  const after = (reloaded.predict(xs) as tf.Tensor).dataSync();
  const identical = before.every((v, i) => Object.is(v, after[i]));
  console.log(`  predictions bit-identical after reload: ${identical}`);
  fs.rmSync(dir, {recursive: true, force: true});
  if (!identical) {
    process.exitCode = 1;
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
