/**
 * 1. Cost of `precisionAudit` (labels and loss given: one forward and one
 *    backward pass, rounding and counting every output, weight and gradient
 *    for both formats) against one training step (`trainOnBatch`, Adam) of
 *    the same model on the same batch. Target: <= 3x.
 * 2. Weight bytes of the same models saved with float16 weights against
 *    float32. Target: 0.50.
 *
 * Audit and training step alternate in rounds within one run; the figure is
 * the ratio of medians. Two clocks: wall time and this process's CPU time
 * (less disturbed by other processes on a shared machine).
 *
 * Run: npx ts-node --transpile-only bench/precision_audit_bench.ts [rounds] [cpu|wasm]
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

import * as mp from '../src';
import {buildModel} from '../examples/demo/models';

const ROUNDS = Number(process.argv[2] ?? 5);
const BACKEND = process.argv[3] ?? 'wasm';
const BATCH = 128;

interface Times {
  wall: number;
  cpu: number;
}

function time(f: () => void): Times {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  f();
  const used = process.cpuUsage(cpu);
  return {wall: performance.now() - wall, cpu: (used.user + used.system) / 1000};
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function weightBytes(model: tf.LayersModel, half: boolean): Promise<number> {
  let bytes = 0;
  const sink = tf.io.withSaveHandler(async (artifacts) => {
    bytes = (artifacts.weightData as ArrayBuffer).byteLength;
    return {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON'}};
  });
  await model.save(half ? mp.io.float16Weights(sink) : sink);
  return bytes;
}

async function main(): Promise<void> {
  if (!(await tf.setBackend(BACKEND))) {
    throw new Error(`backend '${BACKEND}' is not available`);
  }
  console.log(`backend ${tf.getBackend()}, batch ${BATCH}, ${ROUNDS} rounds (after one warm-up)`);
  console.log('model     audit/step wall  audit/step cpu  step ms (wall)  audit ms (wall)  float16/float32 weight bytes');
  for (const kind of ['convnet', 'mlp'] as const) {
    const {model, inputShape} = buildModel(kind, 'float32');
    model.compile({optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy'});
    const x = tf.randomUniform([BATCH, ...inputShape], 0, 1, 'float32', 1);
    const y = tf.tidy(() => tf.oneHot(tf.randomUniform([BATCH], 0, 10, 'int32', 2), 10).toFloat());
    const stepTimes: Times[] = [];
    const auditTimes: Times[] = [];
    for (let r = 0; r <= ROUNDS; r++) {
      const wall = performance.now();
      const cpu = process.cpuUsage();
      await model.trainOnBatch(x, y);
      const used = process.cpuUsage(cpu);
      const s = {wall: performance.now() - wall, cpu: (used.user + used.system) / 1000};
      const a = time(() => mp.precisionAudit(model, x, y));
      if (r > 0) {
        stepTimes.push(s);
        auditTimes.push(a);
      }
    }
    const ratio = (k: keyof Times): string => (median(auditTimes.map((t) => t[k])) / median(stepTimes.map((t) => t[k]))).toFixed(2);
    const bytes32 = await weightBytes(model, false);
    const bytes16 = await weightBytes(model, true);
    console.log(
      `${kind.padEnd(8)}  ${ratio('wall').padStart(15)}  ${ratio('cpu').padStart(14)}  ` +
        `${median(stepTimes.map((t) => t.wall)).toFixed(0).padStart(14)}  ${median(auditTimes.map((t) => t.wall)).toFixed(0).padStart(15)}  ` +
        `${(bytes16 / bytes32).toFixed(3)} (${bytes16} / ${bytes32})`,
    );
    tf.dispose([x, y]);
    model.dispose();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
