// Page tests for cast: rounding of whole sets of float32 bit patterns on the
// page's backend, compared with the cpu kernel's own loop (round_bits.ts)
// run on the same inputs in the page; and the gradient.
import * as tf from '@tensorflow/tfjs';

import {cast} from '../../../src';
import {NarrowDtype} from '../../../src/cast/narrow_dtype';
import {roundBits} from '../../../src/cast/round_bits';
import {definePageTest} from '../harness/page_api';
import {bitPatternSet, BitPatternSetName} from './bit_pattern_sets';

export interface CastBitsArgs {
  dtype: NarrowDtype;
  set: BitPatternSetName;
  /** For 'random': how many patterns, and the seed. */
  count?: number;
  seed?: number;
}

/** One differing element: float32 bits of the input, of the backend's result, of the cpu kernel's. */
export type Difference = [input: number, got: number, want: number];

export interface CastBitsResult {
  count: number;
  /** Every element where the backend's bits differ from the cpu kernel's (at most 100,000). */
  differences: Difference[];
  /** How many cpu results are non-zero float32 subnormals (|r| < 2^-126). */
  subnormalResults: number;
}

const MAX_DIFFERENCES = 100_000;

function bitsOf(values: Float32Array): Uint32Array {
  return new Uint32Array(values.buffer, values.byteOffset, values.length);
}

/** The cpu kernel's result for `inputs`. */
export function cpuRound(dtype: NarrowDtype, inputs: Float32Array): Float32Array {
  const out = new Float32Array(inputs.length);
  roundBits(dtype, bitsOf(inputs), bitsOf(out), out);
  return out;
}

/** Compares `got` with the cpu kernel on `inputs`, bit for bit (NaN payloads included). */
export function compareWithCpu(dtype: NarrowDtype, inputs: Float32Array, got: Float32Array): CastBitsResult {
  const want = cpuRound(dtype, inputs);
  const [x, g, w] = [bitsOf(inputs), bitsOf(got), bitsOf(want)];
  const differences: Difference[] = [];
  let subnormalResults = 0;
  for (let i = 0; i < inputs.length; i++) {
    const wi = w[i] as number;
    const magnitude = wi & 0x7fffffff;
    if (magnitude !== 0 && magnitude < 0x00800000) {
      subnormalResults++;
    }
    if (g[i] !== wi && differences.length < MAX_DIFFERENCES) {
      differences.push([x[i] as number, g[i] as number, wi]);
    }
  }
  return {count: inputs.length, differences, subnormalResults};
}

definePageTest('castBits', async ({dtype, set, count, seed}: CastBitsArgs): Promise<CastBitsResult> => {
  const inputs = bitPatternSet(set, count ?? 0, seed ?? 1);
  const x = tf.tensor1d(inputs);
  const y = cast(x, dtype);
  // await data(): on webgpu a dataSync() can break later reads.
  const got = new Float32Array(await y.data());
  tf.dispose([x, y]);
  return compareWithCpu(dtype, inputs, got);
});

definePageTest('castGradient', async ({dtype, set, count, seed}: CastBitsArgs): Promise<CastBitsResult> => {
  // The upstream gradient dy is the pattern set, handed straight to cast's
  // gradient (no op in between that could flush or quiet it): dx must be dy
  // rounded to dtype.
  const upstream = bitPatternSet(set, count ?? 0, seed ?? 1);
  const gradient = tf.tidy(() => {
    const dy = tf.tensor1d(upstream);
    return tf.grad((v: tf.Tensor) => cast(v, dtype))(tf.onesLike(dy), dy);
  });
  const got = new Float32Array(await gradient.data());
  gradient.dispose();
  return compareWithCpu(dtype, upstream, got);
});
