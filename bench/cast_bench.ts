// Cost of cast(x, 'float16' | 'bfloat16') relative to tf.add(x, y) on the
// same tensors, measured in the same run, on cpu and wasm; then the effect on
// a whole MLP training step when every Dense computation rounds to float16.
//
//   npx ts-node --transpile-only bench/cast_bench.ts [--quick]
//
// Ratios, not times, are the result: add is the baseline (two reads and one
// write per element; a cast does one read and one write).

import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

import {cast} from '../src/cast/cast';
import {roundComposite} from '../src/cast/round_composite';
import {lastWasmRoundPath, preferWasmRoundPath} from '../src/cast/round_wasm';

const quick = process.argv.includes('--quick');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Median wall time of `op` (ms). cpu and wasm kernels run synchronously. */
function time(op: () => tf.Tensor, reps: number): number {
  for (let i = 0; i < 5; i++) {
    op().dispose(); // warm-up: JIT tiers, heap growth, SIMD instantiation
  }
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    const y = op();
    times.push(performance.now() - t0);
    y.dispose();
  }
  return median(times);
}

function fmt(ms: number): string {
  return ms < 10 ? ms.toFixed(2) : ms.toFixed(1);
}

async function elementwise(): Promise<void> {
  console.log('elementwise: median ms over reps, ratio = op / tf.add(x, y)');
  for (const backend of ['cpu', 'wasm']) {
    await tf.setBackend(backend);
    for (const size of quick ? [1 << 20] : [1 << 20, 1 << 24]) {
      const reps = size > 1 << 20 ? 5 : 11;
      // Values spread over the float16 range, some overflowing, some tiny.
      const x = tf.tidy(() => tf.mul(tf.randomNormal([size]), tf.exp(tf.randomUniform([size], -15, 12))));
      const y = tf.randomNormal([size]);
      const add = time(() => tf.add(x, y), reps);
      const rows: Array<[string, () => tf.Tensor]> = [
        ['cast float16', () => cast(x, 'float16')],
        ['cast bfloat16', () => cast(x, 'bfloat16')],
      ];
      if (backend === 'wasm') {
        const jsPath = (dtype: 'float16' | 'bfloat16') => () => {
          preferWasmRoundPath('js');
          try {
            return cast(x, dtype);
          } finally {
            preferWasmRoundPath('simd');
          }
        };
        rows.push(['  (JS loop) float16', jsPath('float16')], ['  (JS loop) bfloat16', jsPath('bfloat16')]);
      }
      if (size <= 1 << 20) {
        rows.push(['  (composite) float16', () => roundComposite(x, 'float16')]);
      }
      console.log(`${backend} n=${size / (1 << 20)}M  tf.add ${fmt(add)} ms`);
      for (const [label, op] of rows) {
        const ms = time(op, reps);
        console.log(`  ${label.padEnd(22)} ${fmt(ms).padStart(7)} ms  ratio ${(ms / add).toFixed(2)}`);
      }
      if (backend === 'wasm') {
        cast(x, 'float16').dispose();
        console.log(`  (wasm path used by cast: ${lastWasmRoundPath()})`);
      }
      tf.dispose([x, y]);
    }
  }
}

/** One Adam step of a 784-512-512-10 MLP, batch 128; `r` rounds every Dense value. */
function mlpStepper(r: (t: tf.Tensor) => tf.Tensor): () => void {
  const sizes = [784, 512, 512, 10];
  const weights = sizes.slice(1).map((n, i) => ({
    w: tf.variable(tf.mul(tf.randomNormal([sizes[i] as number, n]), Math.sqrt(2 / (sizes[i] as number)))),
    b: tf.variable(tf.zeros([n])),
  }));
  const x = tf.randomNormal([128, 784]);
  const labels = tf.oneHot(tf.randomUniform([128], 0, 10, 'int32') as tf.Tensor1D, 10);
  const optimizer = tf.train.adam(1e-3);
  return () => {
    tf.tidy(() => {
      optimizer.minimize(() => {
        let h: tf.Tensor = x;
        weights.forEach(({w, b}, i) => {
          h = r(tf.add(r(tf.matMul(h, r(w))), r(b)));
          if (i < weights.length - 1) {
            h = r(tf.relu(h));
          }
        });
        return tf.losses.softmaxCrossEntropy(labels, h) as tf.Scalar;
      });
    });
  };
}

async function endToEnd(): Promise<void> {
  await tf.setBackend('wasm');
  const steps = quick ? 5 : 15;
  const run = (r: (t: tf.Tensor) => tf.Tensor): number => {
    const step = mlpStepper(r);
    for (let i = 0; i < 3; i++) step();
    const times: number[] = [];
    for (let i = 0; i < steps; i++) {
      const t0 = performance.now();
      step();
      times.push(performance.now() - t0);
    }
    return median(times);
  };
  const plain = run((t) => t);
  const rounded = run((t) => cast(t, 'float16'));
  console.log(
    `MLP 784-512-512-10, batch 128, Adam, wasm: step ${fmt(plain)} ms plain, ` +
      `${fmt(rounded)} ms with every Dense weight/matmul/bias/activation cast to float16: ` +
      `ratio ${(rounded / plain).toFixed(3)}`,
  );
}

(async () => {
  await elementwise();
  await endToEnd();
})();
