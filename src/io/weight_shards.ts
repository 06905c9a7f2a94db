import * as tf from '@tensorflow/tfjs';

/**
 * The file name tfjs and its converter give shard `index` (0-based) of
 * `count` in weight group 1: `group1-shard1of1.bin`.
 */
export function shardFileName(index: number, count: number): string {
  return `group1-shard${index + 1}of${count}.bin`;
}

/**
 * Splits weight data (one ArrayBuffer or, since tfjs 4.x, a list of them) into
 * shards of at most `shardSizeBytes` bytes; `Infinity` gives one shard. Always
 * at least one shard, so that a model without weights still lists its file.
 */
export function splitWeightData(weightData: tf.io.WeightData, shardSizeBytes: number): ArrayBuffer[] {
  const data = new tf.io.CompositeArrayBuffer(weightData);
  const total = data.byteLength;
  if (total === 0) {
    return [new ArrayBuffer(0)];
  }
  const shards: ArrayBuffer[] = [];
  const size = Number.isFinite(shardSizeBytes) ? shardSizeBytes : total;
  for (let start = 0; start < total; start += size) {
    shards.push(data.slice(start, Math.min(start + size, total)));
  }
  return shards;
}
