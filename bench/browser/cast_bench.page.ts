// The page side of bench/browser_cast_bench.ts: times cast against tf.add
// on 1M elements on the page's backend. A timing queues `repeats` ops, then
// waits for the last result (a GPU backend runs them asynchronously): the
// one read-back is shared by the ops.
import * as tf from '@tensorflow/tfjs';

import {cast} from '../../src';
import {roundComposite} from '../../src/cast/round_composite';
import {definePageTest} from '../../test/browser/harness/page_api';

export interface CastBenchArgs {
  size: number;
  trials: number;
  repeats: number;
  /** Also time the composite of stock ops (what ran before the GPU kernels). */
  composite: boolean;
}

/** Per op: the median over trials of (op time / tf.add time in the same trial); `add` is tf.add's median ms. */
export type CastBenchResult = Record<string, number>;

/** Milliseconds per op: `repeats` ops queued, then the last one read back. */
async function time(repeats: number, op: () => tf.Tensor): Promise<number> {
  const start = performance.now();
  let last: tf.Tensor | undefined;
  for (let r = 0; r < repeats; r++) {
    last?.dispose();
    last = op();
  }
  await last!.data();
  last!.dispose();
  return (performance.now() - start) / repeats;
}

const median = (values: number[]) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

definePageTest('benchCast', async ({size, trials, repeats, composite}: CastBenchArgs): Promise<CastBenchResult> => {
  const x = tf.randomNormal([size], 0, 100, 'float32', 1);
  const y = tf.randomNormal([size], 0, 100, 'float32', 2);
  const ops: Record<string, () => tf.Tensor> = {
    castFloat16: () => cast(x, 'float16'),
    castBfloat16: () => cast(x, 'bfloat16'),
  };
  if (composite) {
    ops.compositeFloat16 = () => roundComposite(x, 'float16');
    ops.compositeBfloat16 = () => roundComposite(x, 'bfloat16');
  }
  // Each trial times tf.add and every op back to back, so that a change in
  // the machine's load hits the numerator and the denominator alike.
  const ratios: Record<string, number[]> = {};
  const adds: number[] = [];
  try {
    for (let t = 0; t <= trials; t++) {
      const add = await time(repeats, () => tf.add(x, y));
      for (const [name, op] of Object.entries(ops)) {
        const ms = await time(repeats, op);
        if (t > 0) {
          (ratios[name] ??= []).push(ms / add); // trial 0 warms up (shader compiles)
        }
      }
      if (t > 0) {
        adds.push(add);
      }
    }
  } finally {
    tf.dispose([x, y]);
  }
  const result: CastBenchResult = {add: median(adds)};
  for (const [name, values] of Object.entries(ratios)) {
    result[name] = median(values);
  }
  return result;
});
