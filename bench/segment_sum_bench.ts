/**
 * The wasm UnsortedSegmentSum kernel this package adds against tfjs's cpu
 * kernel, on the shape of an Embedding's gradient (batch 32 x 20 tokens,
 * width 32, vocabularies of 1,000 and 10,000), with `tf.add` of the same
 * gradient on each backend as the in-run baseline. Medians over interleaved
 * runs (9 on wasm, 3 on cpu, whose kernel takes seconds).
 *
 *   npx ts-node --transpile-only bench/segment_sum_bench.ts
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

import '../src/segment/register_segment_kernels';

const ROWS = 32 * 20;
const WIDTH = 32;
const RUNS: Record<string, number> = {wasm: 9, cpu: 3};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(f: () => tf.Tensor): number {
  const t0 = performance.now();
  const out = f();
  out.dataSync();
  const ms = performance.now() - t0;
  out.dispose();
  return ms;
}

async function measure(backend: string, vocab: number): Promise<{segment: number; add: number}> {
  await tf.setBackend(backend);
  const grad = tf.randomUniform([ROWS, WIDTH], -1, 1, 'float32', 1);
  const ids = tf.randomUniform([ROWS], 0, vocab, 'int32', 2) as tf.Tensor1D;
  const segment: number[] = [];
  const add: number[] = [];
  for (let i = -1; i < RUNS[backend]!; i++) {
    const s = time(() => tf.unsortedSegmentSum(grad, ids, vocab));
    const a = time(() => tf.add(grad, grad));
    if (i >= 0) {
      segment.push(s);
      add.push(a);
    }
  }
  tf.dispose([grad, ids]);
  return {segment: median(segment), add: median(add)};
}

async function main(): Promise<void> {
  for (const vocab of [1000, 10000]) {
    const wasm = await measure('wasm', vocab);
    const cpu = await measure('cpu', vocab);
    console.log(
        `[${ROWS}, ${WIDTH}] into ${vocab} segments: wasm ${wasm.segment.toFixed(2)} ms ` +
        `(${(wasm.segment / wasm.add).toFixed(1)}x its tf.add), cpu ${cpu.segment.toFixed(1)} ms ` +
        `(${(cpu.segment / cpu.add).toFixed(1)}x its tf.add); cpu / wasm ${(cpu.segment / wasm.segment).toFixed(0)}x`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
