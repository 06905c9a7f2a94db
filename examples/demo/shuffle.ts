// A seeded shuffle, so that every run of the demo sees the same examples in
// the same batches: the three runs must differ only in their precision.

import {MnistSplit, PIXELS} from './mnist_idx';

/**
 * A small deterministic PRNG (mulberry32): uniform floats in [0, 1).
 *
 * @example
 * const next = seededRandom(42);
 * next(); // the same first value on every machine
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A permutation of 0..n-1 (Fisher-Yates driven by `seededRandom(seed)`).
 *
 * @example
 * seededPermutation(5, 1); // e.g. [3, 0, 4, 1, 2], always the same for seed 1
 */
export function seededPermutation(n: number, seed: number): number[] {
  const order = Array.from({length: n}, (_, i) => i);
  const next = seededRandom(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const tmp = order[i] as number;
    order[i] = order[j] as number;
    order[j] = tmp;
  }
  return order;
}

/**
 * The examples of `split` at `indices`, in that order.
 *
 * @example
 * const shuffled = selectExamples(train, seededPermutation(train.count, 7));
 */
export function selectExamples(split: MnistSplit, indices: readonly number[]): MnistSplit {
  const images = new Float32Array(indices.length * PIXELS);
  const labels = new Uint8Array(indices.length);
  indices.forEach((source, target) => {
    if (!Number.isInteger(source) || source < 0 || source >= split.count) {
      throw new Error(`indices must be integers from 0 to ${split.count - 1}; found ${source}.`);
    }
    images.set(split.images.subarray(source * PIXELS, (source + 1) * PIXELS), target * PIXELS);
    labels[target] = split.labels[source] as number;
  });
  return {images, labels, count: indices.length};
}
