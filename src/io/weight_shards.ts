import * as tf from '@tensorflow/tfjs';

/**
 * The file name tfjs and its converter give shard `index` (0-based) of
 * `count` in weight group 1: `group1-shard1of1.bin`.
 */
export function shardFileName(index: number, count: number): string {
  return `group1-shard${index + 1}of${count}.bin`;
}

/**
 * One ArrayBuffer holding weight data given as one buffer or, since tfjs 4.x,
 * a list of them. (Not tf.io.CompositeArrayBuffer: in tfjs 4.22 its slice()
 * returns zeros when a later buffer is longer than the first, so weight files
 * of unequal sizes could decode wrongly.)
 */
export function joinWeightData(weightData: tf.io.WeightData): ArrayBuffer {
  if (!Array.isArray(weightData)) {
    return weightData;
  }
  if (weightData.length === 1) {
    return weightData[0]!;
  }
  const out = new Uint8Array(weightData.reduce((n, b) => n + b.byteLength, 0));
  let offset = 0;
  for (const buffer of weightData) {
    out.set(new Uint8Array(buffer), offset);
    offset += buffer.byteLength;
  }
  return out.buffer;
}

/**
 * Splits weight data into shards of at most `shardSizeBytes` bytes;
 * `Infinity` gives one shard. Always at least one shard, so that a model
 * without weights still lists its (empty) file.
 */
export function splitWeightData(weightData: tf.io.WeightData, shardSizeBytes: number): ArrayBuffer[] {
  const data = joinWeightData(weightData);
  const total = data.byteLength;
  if (total === 0 || !Number.isFinite(shardSizeBytes) || shardSizeBytes >= total) {
    return [data];
  }
  const shards: ArrayBuffer[] = [];
  for (let start = 0; start < total; start += shardSizeBytes) {
    shards.push(data.slice(start, Math.min(start + shardSizeBytes, total)));
  }
  return shards;
}
