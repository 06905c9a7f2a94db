// The page side of bench/browser_training_bench.ts: one training step
// (trainOnBatch, Adam, batch 128) of the demo's convnet or MLP, built from
// stock tfjs layers under float32 and from the policy layers under float32,
// mixed_float16, and mixed_float16 with a LossScaleOptimizer. The variants
// take turns within every trial, so a slow spell of the shared machine hits
// them alike.
import * as tf from '@tensorflow/tfjs';

import {buildModel, ModelKind} from '../../examples/demo/models';
import * as mp from '../../src';
import {definePageTest} from '../../test/browser/harness/page_api';

export interface TrainingStepBenchArgs {
  kind: ModelKind;
  batchSize: number;
  /** Trials (median taken); each variant runs `steps` steps per trial. */
  trials: number;
  steps: number;
}

/** Median milliseconds per step, by variant. */
export type TrainingStepBenchResult = Record<string, number>;

/** The demo's architecture from stock tfjs layers (float32), same seeded initializers. */
function stockModel(kind: ModelKind): tf.Sequential {
  let seed = 1710;
  const kernelInitializer = () => tf.initializers.glorotUniform({seed: seed++});
  const model = tf.sequential();
  if (kind === 'convnet') {
    model.add(tf.layers.conv2d({inputShape: [28, 28, 1], filters: 8, kernelSize: 3, activation: 'relu', kernelInitializer: kernelInitializer()}));
    model.add(tf.layers.maxPooling2d({poolSize: 2}));
    model.add(tf.layers.conv2d({filters: 16, kernelSize: 3, activation: 'relu', kernelInitializer: kernelInitializer()}));
    model.add(tf.layers.maxPooling2d({poolSize: 2}));
    model.add(tf.layers.flatten());
    model.add(tf.layers.dense({units: 10, kernelInitializer: kernelInitializer()}));
  } else {
    model.add(tf.layers.dense({inputShape: [784], units: 512, activation: 'relu', kernelInitializer: kernelInitializer()}));
    model.add(tf.layers.dense({units: 512, activation: 'relu', kernelInitializer: kernelInitializer()}));
    model.add(tf.layers.dense({units: 10, kernelInitializer: kernelInitializer()}));
  }
  model.add(tf.layers.activation({activation: 'softmax'}));
  return model;
}

interface Variant {
  name: string;
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
}

function variants(kind: ModelKind): Variant[] {
  const adam = () => tf.train.adam(3e-3);
  return [
    {name: 'stock float32', model: stockModel(kind), optimizer: adam()},
    {name: 'policy float32', model: buildModel(kind, 'float32').model, optimizer: adam()},
    {name: 'mixed_float16', model: buildModel(kind, 'mixed_float16').model, optimizer: adam()},
    {name: 'mixed_float16 + loss scaling', model: buildModel(kind, 'mixed_float16').model, optimizer: new mp.LossScaleOptimizer(adam())},
  ];
}

async function step(v: Variant, x: tf.Tensor, y: tf.Tensor): Promise<void> {
  // trainOnBatch reads the loss back: each step ends when the device is done.
  await v.model.trainOnBatch(x, y);
}

definePageTest('benchTrainingStep', async ({kind, batchSize, trials, steps}: TrainingStepBenchArgs): Promise<TrainingStepBenchResult> => {
  const shape = kind === 'convnet' ? [batchSize, 28, 28, 1] : [batchSize, 784];
  const x = tf.randomUniform(shape, 0, 1, 'float32', 1);
  const y = tf.tidy(() => tf.oneHot(tf.randomUniform([batchSize], 0, 10, 'int32', 2) as tf.Tensor1D, 10).toFloat());
  const all = variants(kind);
  const times = new Map<string, number[]>(all.map((v) => [v.name, []]));
  try {
    for (const v of all) {
      v.model.compile({optimizer: v.optimizer, loss: 'categoricalCrossentropy'});
      for (let i = 0; i < 3; i++) {
        await step(v, x, y); // warm-up: shader compiles, optimizer slots
      }
    }
    for (let t = 0; t < trials; t++) {
      for (const v of all) {
        const start = performance.now();
        for (let s = 0; s < steps; s++) {
          await step(v, x, y);
        }
        times.get(v.name)!.push((performance.now() - start) / steps);
      }
    }
  } finally {
    tf.dispose([x, y]);
    for (const v of all) {
      v.model.dispose();
      v.optimizer.dispose();
    }
  }
  const result: TrainingStepBenchResult = {};
  for (const [name, ts] of times) {
    ts.sort((a, b) => a - b);
    result[name] = ts[Math.floor(ts.length / 2)] as number;
  }
  return result;
});
