/**
 * A text classifier (Embedding -> LSTM -> Dense), written with stock
 * tf.layers, turned into a mixed_float16 model by mp.applyPolicy (the output
 * activation kept in float32), and trained with model.fit on generated token
 * sequences. compile wraps the optimizer in a dynamic LossScaleOptimizer by
 * itself, as Keras does. Run:
 *   npx ts-node --transpile-only examples/lstm_text_example.ts [--quick]
 *
 * The Embedding looks up in float32 and rounds its output to float16; the
 * LSTM reads its float32 variables in float16 at every step; the final
 * sigmoid runs in float32.
 */
import * as tf from '@tensorflow/tfjs';

import {MixedTrainingSummary, trainMixed} from './train_mixed';

const VOCAB = 12;
const LENGTH = 10;
// The task: is token POSITIVE more frequent than token NEGATIVE?
const POSITIVE = 3;
const NEGATIVE = 4;

/** The model as plain tfjs code would build it (float32). */
export function buildTextModel(): tf.Sequential {
  return tf.sequential({
    name: 'lstm_text',
    layers: [
      tf.layers.embedding({inputDim: VOCAB, outputDim: 16, inputLength: LENGTH}),
      tf.layers.lstm({units: 16}),
      tf.layers.dense({units: 1}),
      tf.layers.activation({activation: 'sigmoid', name: 'probability'}),
    ],
  });
}

/** Token sequences (a seeded generator) and their labels. */
function sequences(n: number, seed: number): {xs: tf.Tensor2D; ys: tf.Tensor2D} {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const ids: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    let balance = 0;
    for (let t = 0; t < LENGTH; t++) {
      const id = Math.floor(next() * VOCAB);
      ids.push(id);
      balance += id === POSITIVE ? 1 : id === NEGATIVE ? -1 : 0;
    }
    labels.push(balance > 0 ? 1 : 0);
  }
  return {xs: tf.tensor2d(ids, [n, LENGTH], 'int32'), ys: tf.tensor2d(labels, [n, 1])};
}

/** Runs the example (also called by its smoke test with `--quick`). */
export async function main(args: string[] = process.argv.slice(2)): Promise<MixedTrainingSummary> {
  const quick = args.includes('--quick');
  // Imported here, not at the top: registering wasm makes it the default
  // backend of any process that merely imports this module. The Embedding's
  // gradient needs UnsortedSegmentSum, which tfjs-backend-wasm 4.22 lacks:
  // importing this package registers one.
  await import('@tensorflow/tfjs-backend-wasm');
  const backend = (await tf.setBackend('wasm')) ? 'wasm' : (await tf.setBackend('cpu'), 'cpu');
  console.log(`backend: ${backend}`);

  return trainMixed(buildTextModel(), {
    backend,
    keepFloat32: 'probability',
    learningRate: 0.02,
    loss: 'binaryCrossentropy',
    epochs: quick ? 3 : 12,
    train: sequences(quick ? 128 : 1024, 1),
    test: sequences(256, 2),
    accuracy: (predictions, labels) => tf.mean(tf.cast(tf.equal(tf.greater(predictions, 0.5), tf.cast(labels, 'bool')), 'float32')),
  });
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
