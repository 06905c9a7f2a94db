/**
 * Per-step time of `model.fit` with a LossScaleOptimizer vs the bare inner
 * optimizer, on the same mixed_float16 model (policy-aware layers, rounding
 * every materialized tensor to float16), cpu backend. Both variants start
 * from the same weights and are timed in alternating rounds within one run;
 * the figure is the ratio of median per-step times. Target: <= 1.05.
 *
 * Two clocks: wall time, and this process's CPU time (user + system). The
 * cpu backend runs on the JS thread, so CPU time measures the same work but
 * is far less disturbed by other processes on a shared machine; the ratio is
 * reported for both.
 *
 * Run: npx ts-node --transpile-only bench/loss_scale_bench.ts [rounds]
 */
import * as tf from '@tensorflow/tfjs';
import {applyUnlessNonFinite} from '../src/loss_scale/finite_step';
import {allFinite, unscaleGradients} from '../src/loss_scale/gradient_scaling';
import {LossScaleOptimizer} from '../src/loss_scale/loss_scale_optimizer';
import '../src/conv_backprop/register_conv_backprop_kernels';
import {conv2d, dense} from '../layers';

const ROUNDS = Number(process.argv[2] ?? 7);

interface Case {
  name: string;
  build: () => tf.Sequential;
  xShape: number[];
  classes: number;
  batchSize: number;
  batches: number;
}

const seeded = (seed: number) => tf.initializers.glorotUniform({seed});

const CASES: Case[] = [
  {
    name: 'MLP 784-256-256-10, batch 64',
    build: () =>
      tf.sequential({
        layers: [
          dense({units: 256, inputShape: [784], activation: 'relu', dtype: 'mixed_float16', kernelInitializer: seeded(1)}),
          dense({units: 256, activation: 'relu', dtype: 'mixed_float16', kernelInitializer: seeded(2)}),
          dense({units: 10, activation: 'softmax', dtype: 'mixed_float16', kernelInitializer: seeded(3)}),
        ],
      }),
    xShape: [784],
    classes: 10,
    batchSize: 64,
    batches: 6,
  },
  {
    name: 'convnet 16x16x1: conv3x3(8)-pool-conv3x3(16)-pool-dense(10), batch 32',
    build: () =>
      tf.sequential({
        layers: [
          conv2d({filters: 8, kernelSize: 3, inputShape: [16, 16, 1], activation: 'relu', dtype: 'mixed_float16', kernelInitializer: seeded(4)}),
          tf.layers.maxPooling2d({poolSize: 2}),
          conv2d({filters: 16, kernelSize: 3, activation: 'relu', dtype: 'mixed_float16', kernelInitializer: seeded(5)}),
          tf.layers.maxPooling2d({poolSize: 2}),
          tf.layers.flatten(),
          dense({units: 10, activation: 'softmax', dtype: 'mixed_float16', kernelInitializer: seeded(6)}),
        ],
      }),
    xShape: [16, 16, 1],
    classes: 10,
    batchSize: 32,
    batches: 6,
  },
];

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

interface StepTime {
  wall: number;
  cpu: number;
}

async function perStepMs(model: tf.Sequential, xs: tf.Tensor, ys: tf.Tensor, c: Case): Promise<StepTime> {
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  await model.fit(xs, ys, {epochs: 1, batchSize: c.batchSize, shuffle: false, verbose: 0});
  const wall = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  return {wall: wall / c.batches, cpu: (cpu.user + cpu.system) / 1000 / c.batches};
}

async function runCase(c: Case): Promise<void> {
  const n = c.batchSize * c.batches;
  const xs = tf.randomUniform([n, ...c.xShape], 0, 1, 'float32', 7);
  const ys = tf.oneHot(tf.randomUniform([n], 0, c.classes, 'int32', 8), c.classes).toFloat();
  const bare = c.build();
  bare.compile({optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy'});
  const lso = new LossScaleOptimizer(tf.train.adam(1e-3));
  const scaled = c.build();
  scaled.compile({optimizer: lso, loss: 'categoricalCrossentropy'});
  scaled.setWeights(bare.getWeights());

  // Warm-up: creates the optimizer slots and compiles the kernels' paths.
  await perStepMs(bare, xs, ys, c);
  await perStepMs(scaled, xs, ys, c);
  const times: {bare: StepTime[]; lso: StepTime[]} = {bare: [], lso: []};
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate the order so drift on a shared machine hits both alike.
    const order = r % 2 === 0 ? (['bare', 'lso'] as const) : (['lso', 'bare'] as const);
    for (const which of order) {
      times[which].push(await perStepMs(which === 'bare' ? bare : scaled, xs, ys, c));
    }
  }
  console.log(`${c.name} (median of ${ROUNDS} rounds x ${c.batches} steps; target ratio <= 1.05):`);
  for (const clock of ['cpu', 'wall'] as const) {
    const b = median(times.bare.map((t) => t[clock]));
    const l = median(times.lso.map((t) => t[clock]));
    console.log(
      `  ${clock.padEnd(4)} time: bare Adam ${b.toFixed(1)} ms/step, LossScaleOptimizer(Adam) ${l.toFixed(1)} ms/step, ` +
        `ratio ${(l / b).toFixed(3)}`,
    );
  }
  // The wrapper's own work per step, alone and repeated: unscaling the
  // gradients and the fused finiteness check with its one scalar read.
  const {value, grads} = tf.variableGrads(
    () => tf.losses.softmaxCrossEntropy(ys, scaled.apply(xs, {training: true}) as tf.Tensor) as tf.Scalar,
    scaled.trainableWeights.map((w) => w.read() as tf.Variable),
  );
  const wrapperWork = () => {
    const unscaled = unscaleGradients(grads, lso.lossScale);
    allFinite(Object.values(unscaled));
    tf.dispose(unscaled);
  };
  // Of which the step transaction: a reference held to every variable and the
  // finiteness check of the updated variables (second scalar read).
  const variables = scaled.trainableWeights.map((w) => w.read() as tf.Variable);
  const transaction = () => void applyUnlessNonFinite(lso.innerOptimizer, variables, () => {});
  const cpuMs = (work: () => void) => {
    for (let i = 0; i < 5; i++) {
      work(); // warm-up (JIT)
    }
    const reps = 40;
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < reps; i++) {
      work();
    }
    const cpu = process.cpuUsage(cpu0);
    return (cpu.user + cpu.system) / 1000 / reps;
  };
  const extra = cpuMs(() => (wrapperWork(), transaction()));
  const transactionMs = cpuMs(transaction);
  const bareCpu = median(times.bare.map((t) => t.cpu));
  const params = Object.values(grads).reduce((n, g) => n + g.size, 0);
  const share = (ms: number) => `${((100 * ms) / bareCpu).toFixed(1)}%`;
  console.log(
    `  wrapper's own work alone (unscale + finiteness checks + step transaction, ${params} gradient entries): ` +
      `${extra.toFixed(2)} ms/step = ${share(extra)} of a bare step (cpu time); the transaction alone ` +
      `${transactionMs.toFixed(2)} ms = ${share(transactionMs)}`,
  );
  tf.dispose([value, grads]);
  console.log(`  loss scale ${lso.lossScale}, skipped steps ${lso.skippedSteps}, inner iterations ${lso.iterations}`);
  bare.dispose();
  scaled.dispose();
  tf.dispose([xs, ys]);
}

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  console.log(`backend ${tf.getBackend()}, tfjs ${tf.version.tfjs}`);
  for (const c of CASES) {
    await runCase(c);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
