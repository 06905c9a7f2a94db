/**
 * A mixed_float16 training step against stock float32 for whole models, as a
 * user gets them: the stock tfjs model, and the same model (same weights)
 * converted by mp.applyPolicy to mixed_float16 (output activation float32)
 * and compiled (which adds the LossScaleOptimizer). Measured in one process:
 *   - ResNet-style convnet with BatchNormalization and Add, 16x16x3, batch 32
 *     (target <= 1.25x);
 *   - Embedding(1000, 32) + LSTM(32) text classifier, 20 tokens, batch 32
 *     (target <= 1.5x); on wasm the Embedding's gradient runs on the
 *     UnsortedSegmentSum kernel this package supplies;
 *   - the MLP 784-512-512-10 (batch 128) and the convnet of layers_bench.ts
 *     (batch 32 here) (no regression against layers_bench.ts's ratios).
 * Each on wasm and cpu, except where a backend lacks a kernel the stock
 * model itself needs (said in the output). 'stock again' is a second stock
 * copy: its ratio is the noise of this run. Steps are interleaved
 * round-robin across variants; medians and ratios to 'stock' are printed.
 *
 *   npx ts-node --transpile-only bench/mixed_models_bench.ts [--quick] [--only text]
 *
 * `--only <word>` runs only the models whose name contains the word.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

import * as mp from '../src';

const QUICK = process.argv.includes('--quick');
const ONLY = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;

type Variant = 'stock' | 'stock again' | 'mixed_float16';
const VARIANTS: Variant[] = ['stock', 'stock again', 'mixed_float16'];

interface Net {
  name: string;
  batch: number;
  data: () => {x: tf.Tensor; y: tf.Tensor};
  build: () => tf.LayersModel;
  loss: string;
  // Backends on which even the stock model cannot train, with the reason.
  unsupported?: Record<string, string>;
}

function convBnRelu(x: tf.SymbolicTensor, filters: number, relu = true): tf.SymbolicTensor {
  const conv = tf.layers.conv2d({filters, kernelSize: 3, padding: 'same', useBias: false}).apply(x);
  const bn = tf.layers.batchNormalization().apply(conv) as tf.SymbolicTensor;
  return relu ? (tf.layers.activation({activation: 'relu'}).apply(bn) as tf.SymbolicTensor) : bn;
}

const RESNET: Net = {
  name: 'ResNet-style (conv-BN x3, Add, GAP, dense 10)',
  batch: 32,
  loss: 'categoricalCrossentropy',
  data: () => ({
    x: tf.randomUniform([32, 16, 16, 3], 0, 1, 'float32', 1),
    y: tf.tidy(() => tf.oneHot(tf.randomUniform([32], 0, 10, 'int32', 2), 10)),
  }),
  build: () => {
    const input = tf.input({shape: [16, 16, 3]});
    const stem = convBnRelu(input, 16);
    const branch = convBnRelu(convBnRelu(stem, 16), 16, false);
    const sum = tf.layers.add().apply([stem, branch]) as tf.SymbolicTensor;
    const block = tf.layers.activation({activation: 'relu'}).apply(sum);
    const pooled = tf.layers.globalAveragePooling2d({}).apply(block);
    const logits = tf.layers.dense({units: 10}).apply(pooled);
    const probs = tf.layers.activation({activation: 'softmax', name: 'output_activation'}).apply(logits);
    return tf.model({inputs: input, outputs: probs as tf.SymbolicTensor});
  },
};

const TEXT: Net = {
  name: 'text classifier (Embedding 1000x32, LSTM 32, dense 1)',
  batch: 32,
  loss: 'binaryCrossentropy',
  data: () => ({
    x: tf.randomUniform([32, 20], 0, 1000, 'int32', 3),
    y: tf.tidy(() => tf.cast(tf.randomUniform([32, 1], 0, 2, 'int32', 4), 'float32')),
  }),
  build: () =>
    tf.sequential({
      layers: [
        tf.layers.embedding({inputDim: 1000, outputDim: 32, inputLength: 20}),
        tf.layers.lstm({units: 32}),
        tf.layers.dense({units: 1}),
        tf.layers.activation({activation: 'sigmoid', name: 'output_activation'}),
      ],
    }),
};

const MLP: Net = {
  name: 'MLP 784-512-512-10',
  batch: 128,
  loss: 'categoricalCrossentropy',
  data: () => ({
    x: tf.randomUniform([128, 784], 0, 1, 'float32', 1),
    y: tf.tidy(() => tf.oneHot(tf.randomUniform([128], 0, 10, 'int32', 2), 10)),
  }),
  build: () =>
    tf.sequential({
      layers: [
        tf.layers.dense({units: 512, activation: 'relu', inputShape: [784]}),
        tf.layers.dense({units: 512, activation: 'relu'}),
        tf.layers.dense({units: 10}),
        tf.layers.activation({activation: 'softmax', name: 'output_activation'}),
      ],
    }),
};

const CONVNET: Net = {
  name: 'convnet 2x conv3x3 + pool + dense',
  batch: 32,
  loss: 'categoricalCrossentropy',
  data: () => ({
    x: tf.randomUniform([32, 28, 28, 1], 0, 1, 'float32', 1),
    y: tf.tidy(() => tf.oneHot(tf.randomUniform([32], 0, 10, 'int32', 2), 10)),
  }),
  build: () =>
    tf.sequential({
      layers: [
        tf.layers.conv2d({filters: 16, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1]}),
        tf.layers.conv2d({filters: 32, kernelSize: 3, activation: 'relu'}),
        tf.layers.maxPooling2d({poolSize: 2}),
        tf.layers.flatten(),
        tf.layers.dense({units: 10}),
        tf.layers.activation({activation: 'softmax', name: 'output_activation'}),
      ],
    }),
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

async function bench(backend: string, net: Net, steps: number): Promise<void> {
  if (ONLY !== undefined && !net.name.includes(ONLY)) return;
  await tf.setBackend(backend);
  const why = net.unsupported?.[backend];
  if (why !== undefined) {
    console.log(`\n${net.name} on ${backend}: skipped, ${why}.`);
    return;
  }
  const {x, y} = net.data();
  const stock = net.build();
  const again = net.build();
  again.setWeights(stock.getWeights());
  const mixed = mp.applyPolicy(stock, 'mixed_float16', {output_activation: 'float32'});
  const models = new Map<Variant, tf.LayersModel>([
    ['stock', stock],
    ['stock again', again],
    ['mixed_float16', mixed],
  ]);
  for (const m of models.values()) {
    m.compile({optimizer: tf.train.adam(1e-3), loss: net.loss});
  }
  const times = new Map<Variant, number[]>(VARIANTS.map((v) => [v, []]));
  for (let round = -1; round < steps; round++) {
    for (const v of VARIANTS) {
      const t0 = performance.now();
      await models.get(v)!.trainOnBatch(x, y);
      if (round >= 0) {
        times.get(v)!.push(performance.now() - t0); // round -1 is warm-up
      }
    }
  }
  const base = median(times.get('stock')!);
  const lso = mixed.optimizer as mp.LossScaleOptimizer;
  console.log(`\n${net.name} on ${backend}, batch ${net.batch}, ${steps} steps each (median):`);
  for (const v of VARIANTS) {
    const ms = median(times.get(v)!);
    console.log(`  ${v.padEnd(14)} ${ms.toFixed(1).padStart(8)} ms/step   ${(ms / base).toFixed(3)}x stock`);
  }
  console.log(`  (mixed_float16 optimizer: ${lso.getClassName()}, ${lso.skippedSteps} skipped steps)`);
  for (const m of models.values()) {
    const o = m.optimizer;
    m.dispose();
    o.dispose();
  }
  tf.dispose([x, y]);
}

async function main(): Promise<void> {
  // compile logs its first LossScaleOptimizer wrap; it is expected here.
  const info = console.info;
  console.info = () => undefined;
  const steps = QUICK ? 2 : 7;
  for (const backend of ['wasm', 'cpu']) {
    await bench(backend, RESNET, steps);
    await bench(backend, TEXT, steps);
    await bench(backend, MLP, backend === 'cpu' ? Math.max(1, steps - 3) : steps);
    if (backend === 'wasm') {
      await bench(backend, CONVNET, steps);
    } else if (ONLY === undefined || CONVNET.name.includes(ONLY)) {
      console.log(`\n${CONVNET.name} on cpu: skipped (minutes per run on this machine; see layers_bench.ts).`);
    }
  }
  console.info = info;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
