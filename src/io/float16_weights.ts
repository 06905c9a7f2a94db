import * as tf from '@tensorflow/tfjs';

import {describeValue} from '../dtypes';
import {HALF_FORMAT_RANGES} from '../audit/format_ranges';
import {float16Bits} from './float16_bits';
import {joinWeightData} from './weight_shards';

/**
 * Options of `float16Weights` and `encodeFloat16Weights`.
 *
 * @example
 * mp.io.float16Weights(mp.io.fileSystem('out/model'), {saturate: true});
 */
export interface Float16WeightsOptions {
  /**
   * The storage format: 'float16' (default). 'bfloat16' is refused: stock
   * tfjs decodes only 'uint8', 'uint16' and 'float16' quantized weights, and
   * a bfloat16 file would load nowhere.
   */
  dtype?: 'float16' | 'bfloat16';
  /**
   * Store values beyond float16's range (|v| >= 65520, or ±Inf) as ±65504
   * instead of refusing the save. NaN is always refused. Default false.
   */
  saturate?: boolean;
}

/** What the encoding did. */
export interface Float16EncodingInfo {
  /** Names of the weights stored as float16 (float32 weights). */
  readonly encoded: readonly string[];
  /** Names of the weights left as they were (int32, bool, already quantized). */
  readonly unchanged: readonly string[];
  /** Values replaced by ±65504 (only with `saturate`). */
  readonly saturated: number;
}

const FLOAT16_MAX = HALF_FORMAT_RANGES.float16.max;
const OVERFLOW_LIMIT = HALF_FORMAT_RANGES.float16.overflowLimit;
const VALUE_BYTES: Record<string, number> = {float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2};

/**
 * Model artifacts whose float32 weights are stored as float16, in the
 * manifest format stock tfjs decodes (`weightSpecs[i].quantization =
 * {dtype: 'float16'}`, two bytes per value): half the weight bytes. Every
 * value is rounded to the nearest float16 (ties to even), so float16-exact
 * weights round-trip bit for bit and float32 master weights are rounded.
 * Throws, naming the weight and the value, for NaN and for values float16
 * cannot hold (unless `saturate`), before anything is written.
 *
 * @example
 * const {artifacts, info} = mp.io.encodeFloat16Weights(await handler.load());
 */
export function encodeFloat16Weights(
  artifacts: tf.io.ModelArtifacts,
  options: Float16WeightsOptions = {},
): {artifacts: tf.io.ModelArtifacts; info: Float16EncodingInfo} {
  const {saturate} = checkFloat16Options(options);
  const specs = artifacts.weightSpecs ?? [];
  if (artifacts.weightData === undefined || specs.length === 0) {
    return {artifacts, info: {encoded: [], unchanged: specs.map((s) => s.name), saturated: 0}};
  }
  const data = joinWeightData(artifacts.weightData);
  const parts: Uint8Array[] = [];
  const newSpecs: tf.io.WeightsManifestEntry[] = [];
  const encoded: string[] = [];
  const unchanged: string[] = [];
  let saturated = 0;
  let offset = 0;
  for (const spec of specs) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const storage = spec.quantization?.dtype ?? spec.dtype;
    const bytesPer = VALUE_BYTES[storage];
    if (bytesPer === undefined) {
      throw new Error(`float16Weights: weight '${spec.name}' has dtype '${storage}', which cannot be re-encoded (valid: float32, int32, bool or quantized).`);
    }
    const length = size * bytesPer;
    if (offset + length > data.byteLength) {
      throw new Error(`float16Weights: the weight data ends before weight '${spec.name}' (${data.byteLength} bytes for the specs' ${offset + length}).`);
    }
    if (spec.dtype !== 'float32' || spec.quantization !== undefined) {
      parts.push(new Uint8Array(data, offset, length));
      newSpecs.push(spec);
      unchanged.push(spec.name);
    } else {
      const values = new Float32Array(data.slice(offset, offset + length));
      const bits = new Uint16Array(size);
      for (let i = 0; i < size; i++) {
        let v = values[i] as number;
        if (Number.isNaN(v) || (!saturate && Math.abs(v) >= OVERFLOW_LIMIT)) {
          throw new Error(outOfRange(spec.name, v, i));
        }
        if (Math.abs(v) >= OVERFLOW_LIMIT) {
          v = Math.sign(v) * FLOAT16_MAX;
          saturated++;
        }
        bits[i] = float16Bits(v);
      }
      parts.push(littleEndian(bits));
      newSpecs.push({...spec, quantization: {dtype: 'float16'}});
      encoded.push(spec.name);
    }
    offset += length;
  }
  if (offset !== data.byteLength) {
    throw new Error(`float16Weights: the weight data holds ${data.byteLength} bytes; the weight specs describe ${offset}.`);
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return {
    artifacts: {...artifacts, weightSpecs: newSpecs, weightData: out.buffer},
    info: {encoded, unchanged, saturated},
  };
}

/**
 * Wraps any IO handler so that `save` writes the model's float32 weights as
 * float16 (see `encodeFloat16Weights`): half the weight bytes, and stock
 * `tf.loadLayersModel` reads the result. A refused save calls nothing on the
 * wrapped handler, so nothing is written. `load` is the wrapped handler's.
 *
 * @example
 * await model.save(mp.io.float16Weights(mp.io.fileSystem('/tmp/model-f16')));
 * const loaded = await mp.loadLayersModel('/tmp/model-f16'); // stock tf.loadLayersModel reads it too
 */
export function float16Weights(handler: tf.io.IOHandler, options: Float16WeightsOptions = {}): tf.io.IOHandler {
  if (handler === null || typeof handler !== 'object' || typeof handler.save !== 'function') {
    throw new Error(`float16Weights: handler must be an IOHandler with a save() method; received ${describeValue(handler)}.`);
  }
  checkFloat16Options(options);
  const wrapped: tf.io.IOHandler = {
    save: async (artifacts) => handler.save!(encodeFloat16Weights(artifacts, options).artifacts),
  };
  if (typeof handler.load === 'function') {
    wrapped.load = () => handler.load!();
  }
  return wrapped;
}

function checkFloat16Options(options: Float16WeightsOptions): {saturate: boolean} {
  if (options === null || typeof options !== 'object') {
    throw new Error(`float16Weights: options must be an object; received ${describeValue(options)}.`);
  }
  const dtype = options.dtype ?? 'float16';
  if (dtype === 'bfloat16') {
    throw new Error(
      `float16Weights: options.dtype 'bfloat16' is not supported: stock tfjs decodes only 'uint8', 'uint16' and ` +
        `'float16' quantized weights, so bfloat16 weights would not load. Use 'float16'.`,
    );
  }
  if (dtype !== 'float16') {
    throw new Error(`float16Weights: options.dtype must be 'float16'; received ${describeValue(dtype)}.`);
  }
  const saturate = options.saturate ?? false;
  if (typeof saturate !== 'boolean') {
    throw new Error(`float16Weights: options.saturate must be true or false; received ${describeValue(saturate)}.`);
  }
  return {saturate};
}

function outOfRange(name: string, v: number, index: number): string {
  const what = Number.isNaN(v) ? 'NaN, which float16 weights cannot hold' : `${v}, outside float16's range (largest finite ${FLOAT16_MAX})`;
  const fix = Number.isNaN(v) ? 'Fix the weight first.' : 'Scale the weight, keep this model in float32, or pass {saturate: true} to store ±65504.';
  return `float16Weights: weight '${name}' holds ${what} (flat index ${index}). Nothing was written. ${fix}`;
}

// tfjs reads the uint16 values in the platform's byte order, little-endian
// on every platform tfjs runs on; write them so explicitly.
function littleEndian(bits: Uint16Array): Uint8Array {
  const bytes = new Uint8Array(bits.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < bits.length; i++) {
    view.setUint16(i * 2, bits[i] as number, true);
  }
  return bytes;
}
