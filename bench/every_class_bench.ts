/**
 * The cost of the float32 policy for every tfjs layer class made
 * policy-aware from the registry: the forward pass (apply + dataSync) of
 * `mp.layers.<name>({dtype: 'float32'})` against `tf.layers.<name>` with the
 * same args, weights and input (the cases of test/layers/registry_cases.ts,
 * batch 32), on cpu. Calls alternate between the two (drift on a shared
 * machine hits both alike); the median ratio ours/stock is printed per class,
 * with the median over classes. Also mixed_float16/stock, for information.
 *
 *   npx ts-node --transpile-only bench/every_class_bench.ts [--reps N]
 */
import * as tf from '@tensorflow/tfjs';

import {LAYER_TABLE, TableClassName} from '../layers/layer_table';
import {MP_LIB, REGISTRY_CASES, RegistryCase, TF_LIB} from '../test/layers/registry_cases';

const repsArg = process.argv.indexOf('--reps');
const REPS = repsArg >= 0 ? Number(process.argv[repsArg + 1]) : 25;
const BATCH = 32;

function make(c: RegistryCase, policy: string | undefined): tf.layers.Layer {
  const lib = policy === undefined ? TF_LIB : MP_LIB;
  const dtype = policy === undefined ? {} : {dtype: policy};
  const factory = LAYER_TABLE[c.className as TableClassName].factory;
  const subject = lib[factory]!({...c.args(lib, policy), ...dtype});
  return c.cell ? lib['rnn']!({cell: subject, returnSequences: true, ...dtype}) : subject;
}

function inputs(c: RegistryCase): tf.Tensor[] {
  const shapes = c.className === 'ConvLSTM2DCell' ? [0, 1, 2].map(() => c.inputs[0]!) : c.inputs;
  return shapes.map((s, i) => {
    const shape = [BATCH, ...s.slice(1)];
    return tf.tidy(() =>
      c.ids === undefined ? tf.randomUniform(shape, -1, 1, 'float32', i) : tf.floor(tf.randomUniform(shape, 0, c.ids, 'float32', i)),
    );
  });
}

function timeOnce(layer: tf.layers.Layer, xs: tf.Tensor[]): number {
  const t0 = performance.now();
  tf.tidy(() => {
    const y = layer.apply(xs.length === 1 ? xs[0]! : xs) as tf.Tensor | tf.Tensor[];
    (Array.isArray(y) ? y : [y]).forEach((t) => t.dataSync());
  });
  return performance.now() - t0;
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  const f32Ratios: number[] = [];
  console.log(`cpu, batch ${BATCH}, ${REPS} alternating forward passes each; median ms and ratio to stock`);
  console.log('class'.padEnd(24) + 'stock ms'.padStart(10) + 'float32'.padStart(10) + 'mixed16'.padStart(10));
  for (const c of REGISTRY_CASES) {
    const xs = inputs(c);
    const layers = [make(c, undefined), make(c, 'float32'), make(c, 'mixed_float16')];
    for (const l of layers) {
      if (c.className === 'ConvLSTM2DCell') {
        l.build(xs[0]!.shape);
      }
      timeOnce(l, xs);
    }
    const w = layers[0]!.getWeights();
    layers.slice(1).forEach((l) => l.setWeights(w));
    const times: number[][] = [[], [], []];
    for (let r = 0; r < REPS; r++) {
      layers.forEach((l, i) => times[i]!.push(timeOnce(l, xs)));
    }
    const [stock, f32, mixed] = times.map(median) as [number, number, number];
    f32Ratios.push(f32 / stock);
    console.log(
      c.className.padEnd(24) + stock.toFixed(3).padStart(10) + `${(f32 / stock).toFixed(3)}x`.padStart(10) + `${(mixed / stock).toFixed(2)}x`.padStart(10),
    );
    tf.dispose(xs);
  }
  const sorted = [...f32Ratios].sort((a, b) => a - b);
  console.log(
    `float32 policy / stock over ${f32Ratios.length} classes: median ${median(f32Ratios).toFixed(3)}x, ` +
      `min ${sorted[0]!.toFixed(3)}x, max ${sorted[sorted.length - 1]!.toFixed(3)}x`,
  );
}

void main();
