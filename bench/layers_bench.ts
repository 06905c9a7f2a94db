/**
 * Training speed of the policy layers against stock tfjs layers, measured in
 * one process on the same data and the same initial weights:
 *   - MLP 784-512-512-10, batch 128, Adam: wasm and cpu;
 *   - convnet (conv 3x3 x16 relu, conv 3x3 x32 relu, max-pool 2, dense 10),
 *     28x28x1 input, batch 128, Adam: wasm (needs src/conv_backprop).
 * Variants: stock tf.layers (twice: the second copy measures the noise);
 * ours under float32, mixed_float16, mixed_bfloat16.
 * Steps are interleaved round-robin across variants (so drift on a shared
 * machine hits all alike); the median ms/step and the ratio to stock on the
 * same backend are printed, then a per-kernel profile of one step.
 *
 *   npx ts-node --transpile-only bench/layers_bench.ts [--quick]
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

import * as mp from '../layers';
import '../src/cast/register_cast_kernels';
import {ROUND_KERNEL_NAME} from '../src/cast/round_kernel_name';
import {withPolicy} from '../src/policy/global_policy';

const QUICK = process.argv.includes('--quick');
const BATCH = 128;

// 'stock again' is a second, identical stock model: its ratio to 'stock' is
// the measurement noise of this run (the machine may be shared).
type Variant = 'stock' | 'stock again' | 'float32' | 'mixed_float16' | 'mixed_bfloat16';
const VARIANTS: Variant[] = ['stock', 'stock again', 'float32', 'mixed_float16', 'mixed_bfloat16'];

interface Net {
  name: string;
  inputShape: number[];
  build: (variant: Variant) => tf.LayersModel;
}

// Our factories under a policy, or tfjs's own.
function factories(variant: Variant) {
  if (variant === 'stock' || variant === 'stock again') {
    return {
      dense: (a: {units: number; activation?: 'relu'; inputShape?: number[]}) => tf.layers.dense(a),
      conv2d: (a: {filters: number; kernelSize: number; activation: 'relu'; inputShape?: number[]}) => tf.layers.conv2d(a),
      softmax: () => tf.layers.activation({activation: 'softmax'}),
    };
  }
  return {
    dense: (a: {units: number; activation?: 'relu'; inputShape?: number[]}) => mp.dense({...a, dtype: variant}),
    conv2d: (a: {filters: number; kernelSize: number; activation: 'relu'; inputShape?: number[]}) => mp.conv2d({...a, dtype: variant}),
    // The recommended ending: softmax in float32.
    softmax: () => mp.activation({activation: 'softmax', dtype: 'float32'}),
  };
}

const MLP: Net = {
  name: 'MLP 784-512-512-10',
  inputShape: [784],
  build: (variant) => {
    const f = factories(variant);
    return tf.sequential({
      layers: [
        f.dense({units: 512, activation: 'relu', inputShape: [784]}),
        f.dense({units: 512, activation: 'relu'}),
        f.dense({units: 10}),
        f.softmax(),
      ],
    });
  },
};

const CONVNET: Net = {
  name: 'convnet 2x conv3x3 + pool + dense',
  inputShape: [28, 28, 1],
  build: (variant) => {
    const f = factories(variant);
    return tf.sequential({
      layers: [
        f.conv2d({filters: 16, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1]}),
        f.conv2d({filters: 32, kernelSize: 3, activation: 'relu'}),
        tf.layers.maxPooling2d({poolSize: 2}),
        tf.layers.flatten(),
        f.dense({units: 10}),
        f.softmax(),
      ],
    });
  },
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

async function bench(backend: string, net: Net, steps: number): Promise<void> {
  await tf.setBackend(backend);
  const x = tf.randomUniform([BATCH, ...net.inputShape], 0, 1, 'float32', 1);
  const y = tf.tidy(() => tf.oneHot(tf.randomUniform([BATCH], 0, 10, 'int32', 2), 10));
  // Same initial weights for every variant.
  const reference = withPolicy(null, () => net.build('stock'));
  const init = reference.getWeights();
  const models = new Map<Variant, tf.LayersModel>();
  for (const v of VARIANTS) {
    const m = net.build(v);
    m.setWeights(init);
    m.compile({optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy'});
    models.set(v, m);
  }
  const times = new Map<Variant, number[]>(VARIANTS.map((v) => [v, []]));
  const losses = new Map<Variant, number>();
  for (let round = -1; round < steps; round++) {
    for (const v of VARIANTS) {
      const t0 = performance.now();
      const loss = (await models.get(v)!.trainOnBatch(x, y)) as number;
      const dt = performance.now() - t0;
      if (round >= 0) {
        times.get(v)!.push(dt); // round -1 is warm-up
      }
      losses.set(v, loss);
    }
  }
  const stock = median(times.get('stock')!);
  console.log(`\n${net.name} on ${backend}, batch ${BATCH}, ${steps} steps each (median):`);
  for (const v of VARIANTS) {
    const ms = median(times.get(v)!);
    console.log(
      `  ${v.padEnd(15)} ${ms.toFixed(1).padStart(8)} ms/step   ${(ms / stock).toFixed(3)}x stock   loss after ${steps + 1} steps ${losses.get(v)!.toFixed(4)}`,
    );
  }
  await profile(models.get('mixed_float16')!, models.get('stock')!, x, y);
  for (const m of [...models.values(), reference]) {
    m.dispose();
  }
  tf.dispose([x, y, ...init]);
}

// Where the extra time of mixed_float16 goes: kernel times of one step.
async function profile(mixed: tf.LayersModel, stock: tf.LayersModel, x: tf.Tensor, y: tf.Tensor): Promise<void> {
  const byKernel = async (m: tf.LayersModel) => {
    const info = await tf.profile(async () => {
      await m.trainOnBatch(x, y);
    });
    const totals = new Map<string, number>();
    for (const k of info.kernels) {
      const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
      totals.set(k.name, (totals.get(k.name) ?? 0) + ms);
    }
    return totals;
  };
  const a = await byKernel(mixed);
  const b = await byKernel(stock);
  const sum = (t: Map<string, number>) => [...t.values()].reduce((p, q) => p + q, 0);
  const names = [...new Set([...a.keys(), ...b.keys()])];
  const diffs = names
    .map((n) => [n, (a.get(n) ?? 0) - (b.get(n) ?? 0)] as const)
    .sort((p, q) => q[1] - p[1])
    .slice(0, 5);
  console.log(
    `  profile of one step: kernels ${sum(b).toFixed(1)} ms stock, ${sum(a).toFixed(1)} ms mixed_float16 ` +
      `(${ROUND_KERNEL_NAME}: ${(a.get(ROUND_KERNEL_NAME) ?? 0).toFixed(1)} ms); largest increases: ` +
      diffs.map(([n, d]) => `${n} ${d >= 0 ? '+' : ''}${d.toFixed(1)}`).join(', '),
  );
}

async function main(): Promise<void> {
  const steps = QUICK ? 2 : 8;
  await bench('wasm', MLP, steps);
  let convBackprop = true;
  try {
    await import('../src/conv_backprop/register_conv_backprop_kernels');
  } catch (e) {
    convBackprop = false;
    console.log(`\nconvnet on wasm skipped: the conv backprop kernels did not load (${(e as Error).message}).`);
  }
  if (convBackprop) {
    await bench('wasm', CONVNET, QUICK ? 1 : 5);
  }
  await bench('cpu', MLP, QUICK ? 1 : 6);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
