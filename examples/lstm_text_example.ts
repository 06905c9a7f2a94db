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

// In your project: import * as mp from 'tfjs-mixed-precision';
import * as mp from '../src';

const VOCAB = 12;
const LENGTH = 10;
// The task: is token POSITIVE more frequent than token NEGATIVE?
const POSITIVE = 3;
const NEGATIVE = 4;

/** What a run reports (also checked by the examples test). */
export interface TextSummary {
  backend: string;
  optimizer: string;
  innerOptimizer: string;
  losses: number[];
  lossScales: number[];
  accuracy: number;
  policies: Record<string, string>;
}

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
export async function main(args: string[] = process.argv.slice(2)): Promise<TextSummary> {
  const quick = args.includes('--quick');
  // Imported here, not at the top: registering wasm makes it the default
  // backend of any process that merely imports this module. The Embedding's
  // gradient needs UnsortedSegmentSum, which tfjs-backend-wasm 4.22 lacks:
  // importing this package registers one.
  await import('@tensorflow/tfjs-backend-wasm');
  const backend = (await tf.setBackend('wasm')) ? 'wasm' : (await tf.setBackend('cpu'), 'cpu');
  console.log(`backend: ${backend}`);

  const stock = buildTextModel();
  // Every layer under mixed_float16 except the output activation (float32
  // is the recommended ending); same topology and weights.
  const model = mp.applyPolicy(stock, 'mixed_float16', {probability: 'float32'});
  stock.dispose();
  mp.layers.dtypeSummary(model);
  // Loss scaling comes from compile: the model has mixed_float16 layers.
  // (Opt out with autoScaleLoss: false.)
  model.compile({optimizer: tf.train.adam(0.02), loss: 'binaryCrossentropy', metrics: ['accuracy']});
  const lso = model.optimizer as mp.LossScaleOptimizer;
  console.log(`optimizer: ${lso.getClassName()} around ${lso.innerOptimizer.getClassName()}`);

  const train = sequences(quick ? 128 : 1024, 1);
  const test = sequences(256, 2);
  const losses: number[] = [];
  const lossScales: number[] = [];
  await model.fit(train.xs, train.ys, {
    epochs: quick ? 3 : 12,
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
    tf.mean(tf.cast(tf.equal(tf.greater(model.predict(test.xs) as tf.Tensor, 0.5), tf.cast(test.ys, 'bool')), 'float32')).dataSync()[0]!,
  );
  console.log(`test accuracy ${accuracy.toFixed(3)}`);
  const policies = Object.fromEntries(
    model.layers.map((l) => [l.name, (l as Partial<mp.layers.PolicyAware>).policy?.name ?? '-']),
  );
  const summary: TextSummary = {
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
