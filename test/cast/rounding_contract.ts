import * as tf from '@tensorflow/tfjs';

import {NarrowDtype} from '../../src/cast/narrow_dtype';
import {bfloat16RoundedBits, float16RoundedBits, roundToFloat16} from '../../src/cast/round_scalar';
import {
  allFloat16Values,
  BFLOAT16_VECTORS,
  bitMismatches,
  FLOAT16_VECTORS,
  float16Midpoints,
  fromBits,
  NaNComparison,
  randomFloat32,
  RoundingVector,
} from './rounding_cases';

/** One implementation of the rounding, run on the active backend. */
export type RoundFn = (x: tf.Tensor, dtype: NarrowDtype) => tf.Tensor;

// Bit-level references: a JS number cannot carry a signalling NaN.
const REFERENCE: Record<NarrowDtype, (bits: number) => number> = {
  float16: float16RoundedBits,
  bfloat16: bfloat16RoundedBits,
};

const VECTORS: Record<NarrowDtype, readonly RoundingVector[]> = {
  float16: FLOAT16_VECTORS,
  bfloat16: BFLOAT16_VECTORS,
};

/** Runs `round` on `inputs`, checking it leaves no tensor behind. */
export function runRound(round: RoundFn, inputs: Float32Array, dtype: NarrowDtype): Float32Array {
  const before = tf.memory().numTensors;
  const x = tf.tensor1d(inputs, 'float32');
  const y = round(x, dtype);
  const values = y.dataSync() as Float32Array;
  expect(y.dtype).toBe('float32');
  expect(y.shape).toEqual(x.shape);
  tf.dispose([x, y]);
  expect(tf.memory().numTensors).toBe(before);
  return values;
}

/** Every bfloat16 midpoint (both signs) and the even neighbour it must give. */
function bfloat16Midpoints(): {inputs: Float32Array; expected: Float32Array} {
  const inputs = new Uint32Array(2 * 0x7f80);
  const expected = new Uint32Array(2 * 0x7f80);
  for (let h = 0; h < 0x7f80; h++) {
    // Consecutive patterns: the midpoint's bits are the lower one's + 0x8000.
    const even = h % 2 === 0 ? h : h + 1; // 0x7f7f + 1 is Inf
    for (const sign of [0, 0x80000000]) {
      inputs[2 * h + (sign ? 1 : 0)] = ((h << 16) | 0x8000 | sign) >>> 0;
      expected[2 * h + (sign ? 1 : 0)] = ((even << 16) | sign) >>> 0;
    }
  }
  return {inputs: new Float32Array(inputs.buffer), expected: new Float32Array(expected.buffer)};
}

const RANDOM_SEED = 20260611;
const references = new Map<string, Float32Array>();

/** The scalar reference over the random sample, computed once per size. */
function randomCase(dtype: NarrowDtype, count: number): {inputs: Float32Array; expected: Float32Array} {
  const inputs = randomFloat32(count, RANDOM_SEED);
  const key = `${dtype}/${count}`;
  let expected = references.get(key);
  if (expected == null) {
    const bits = new Uint32Array(inputs.buffer, inputs.byteOffset, inputs.length).map(REFERENCE[dtype]);
    expected = new Float32Array(bits.buffer);
    references.set(key, expected);
  }
  return {inputs, expected};
}

/**
 * The contract every rounding implementation (each fused kernel, the
 * composite) must meet, bit for bit against the scalar reference; NaN
 * payloads exactly too unless `nan` is 'any' (the composite).
 */
export function describeRoundingContract(
  name: string,
  backend: () => string,
  round: RoundFn,
  randomCount: number,
  nan: NaNComparison = 'exact',
): void {
  describe(name, () => {
    beforeAll(async () => {
      await tf.setBackend(backend());
    });

    for (const dtype of ['float16', 'bfloat16'] as const) {
      test(`${dtype}: table of vectors`, () => {
        // Each vector 4 times plus a ragged tail, so that vectorised kernels
        // see every vector in every lane and in their scalar remainder.
        const vectors = [...Array(4).fill(VECTORS[dtype]).flat(), ...VECTORS[dtype].slice(0, 3)];
        const inputs = fromBits(vectors.map((v) => v.input));
        const expected = fromBits(vectors.map((v) => v.expected));
        const mismatches = bitMismatches(inputs, runRound(round, inputs, dtype), expected, 200, nan);
        expect(mismatches).toEqual([]);
      });

      test(`${dtype}: ${randomCount} random float32 patterns match the scalar reference`, () => {
        const {inputs, expected} = randomCase(dtype, randomCount);
        expect(bitMismatches(inputs, runRound(round, inputs, dtype), expected, 5, nan)).toEqual([]);
      });
    }

    test('float16: all 65,536 float16 values round-trip exactly', () => {
      const values = allFloat16Values();
      expect(bitMismatches(values, runRound(round, values, 'float16'), values)).toEqual([]);
    });

    test('float16: every midpoint between neighbours rounds to even', () => {
      const {inputs, expected} = float16Midpoints();
      expect(bitMismatches(inputs, runRound(round, inputs, 'float16'), expected)).toEqual([]);
    });

    test('bfloat16: every midpoint between neighbours rounds to even', () => {
      const {inputs, expected} = bfloat16Midpoints();
      expect(bitMismatches(inputs, runRound(round, inputs, 'bfloat16'), expected)).toEqual([]);
    });

    test('keeps the shape of scalars, empty and 3-d tensors', () => {
      const before = tf.memory().numTensors;
      for (const x of [tf.scalar(1.1), tf.zeros([0]), tf.fill([2, 3, 4], 65519.99)]) {
        const y = round(x, 'float16');
        expect(y.shape).toEqual(x.shape);
        expect(Array.from(y.dataSync())).toEqual(
          Array.from(x.dataSync()).map(roundToFloat16),
        );
        tf.dispose([x, y]);
      }
      expect(tf.memory().numTensors).toBe(before);
    });
  });
}
