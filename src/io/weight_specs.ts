import * as tf from '@tensorflow/tfjs';

import {describeValue} from '../dtypes';

// Bytes per element of each weight dtype tf.io.decodeWeights reads, and of
// each quantization it decodes (float16 also holds exporters' float16 files).
// 'string' has no fixed size: each element is a uint32 length, then its bytes.
const DTYPE_BYTES: Readonly<Record<string, number | 'string'>> = {float32: 4, int32: 4, bool: 1, complex64: 8, string: 'string'};
const QUANTIZATION_BYTES: Readonly<Record<string, number>> = {uint8: 1, uint16: 2, float16: 2};

const list = (table: object): string => Object.keys(table).map((k) => `'${k}'`).join(', ');

/**
 * Checks the weight specs of a manifest (name, shape, dtype, quantization)
 * and returns how many bytes of weight data they describe, reading string
 * lengths from `data` where needed. `where` names the model in errors.
 */
export function weightSpecsByteLength(specs: unknown, data: ArrayBuffer, where: string): number {
  if (!Array.isArray(specs)) {
    throw new Error(`${where}: the weight specs must be a list; received ${describeValue(specs)}.`);
  }
  const view = new DataView(data);
  let offset = 0;
  const names = new Set<string>();
  specs.forEach((spec: unknown, i) => {
    const s = spec as Partial<tf.io.WeightsManifestEntry> | null;
    const label = typeof s?.name === 'string' ? `weight '${s.name}'` : `weight ${i}`;
    if (s === null || typeof s !== 'object' || typeof s.name !== 'string') {
      throw new Error(`${where}: ${label} must be a {name, shape, dtype} entry with a string name; received ${describeValue(spec)}.`);
    }
    if (names.has(s.name)) {
      throw new Error(`${where}: ${label} is listed twice in the weights manifest; each weight is listed once.`);
    }
    names.add(s.name);
    const shape = s.shape as unknown;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new Error(`${where}: ${label} has shape ${describeValue(shape)}; a shape is a list of non-negative integers.`);
    }
    const elements = shape.reduce((n: number, d: number) => n * d, 1);
    const size = Object.prototype.hasOwnProperty.call(DTYPE_BYTES, String(s.dtype)) ? DTYPE_BYTES[String(s.dtype)] : undefined;
    if (size === undefined) {
      throw new Error(`${where}: ${label} has dtype ${describeValue(s.dtype)}; valid dtypes: ${list(DTYPE_BYTES)}.`);
    }
    if (s.quantization != null) {
      const q = (s.quantization as {dtype?: unknown}).dtype;
      const qSize = Object.prototype.hasOwnProperty.call(QUANTIZATION_BYTES, String(q)) ? QUANTIZATION_BYTES[String(q)] : undefined;
      if (qSize === undefined || size === 'string') {
        throw new Error(
          `${where}: ${label} (dtype '${s.dtype}') has quantization dtype ${describeValue(q)}; valid: ${list(QUANTIZATION_BYTES)} ` +
            `on a numeric weight.`,
        );
      }
      offset += elements * qSize;
      return;
    }
    if (size !== 'string') {
      offset += elements * size;
      return;
    }
    for (let e = 0; e < elements; e++) {
      if (offset + 4 > data.byteLength) {
        throw new Error(`${where}: the weight data ends inside the string ${label} (at byte ${offset} of ${data.byteLength}).`);
      }
      offset += 4 + view.getUint32(offset, true);
    }
  });
  return offset;
}

/**
 * Throws unless `data` holds exactly the bytes `specs` describe; `files`
 * names where the data came from.
 */
export function checkWeightData(specs: unknown, data: ArrayBuffer, where: string, files: string): void {
  const expected = weightSpecsByteLength(specs, data, where);
  if (expected !== data.byteLength) {
    const count = (specs as unknown[]).length;
    throw new Error(
      `${where}: ${files} hold${files.includes(', ') ? '' : 's'} ${data.byteLength} bytes of weight data, but the weights manifest ` +
        `describes ${expected} bytes (${count} weight${count === 1 ? '' : 's'}): the data is ` +
        `${data.byteLength < expected ? 'truncated' : 'longer than its manifest says'}, or belongs to another model.`,
    );
  }
}
