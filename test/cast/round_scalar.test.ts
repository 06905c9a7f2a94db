import {
  bfloat16RoundedBits,
  float16RoundedBits,
  roundToBfloat16,
  roundToFloat16,
} from '../../src/cast/round_scalar';
import {
  allFloat16Values,
  BFLOAT16_VECTORS,
  bitMismatches,
  FLOAT16_VECTORS,
  float16Midpoints,
  fromBits,
  RoundingVector,
} from './rounding_cases';

// The scalar references are the oracle of every kernel test, so they are
// checked here against hand-made vectors and exhaustive float16 sets.

function mapScalar(values: Float32Array, round: (v: number) => number): Float32Array {
  return values.map(round);
}

/** Checks the bit-level reference on `vectors` (exact, NaN payloads included). */
function checkVectors(vectors: readonly RoundingVector[], roundBits: (bits: number) => number): void {
  const inputs = fromBits(vectors.map((v) => v.input));
  const expected = fromBits(vectors.map((v) => v.expected));
  const actual = fromBits(vectors.map((v) => roundBits(v.input)));
  expect(bitMismatches(inputs, actual, expected, vectors.length)).toEqual([]);
}

describe('roundToFloat16', () => {
  test.each(FLOAT16_VECTORS.map((v) => [v.what, v] as const))('%s', (_what, vector) => {
    checkVectors([vector], float16RoundedBits);
  });

  test('every float16 value round-trips exactly (all 65,536 patterns)', () => {
    const values = allFloat16Values();
    expect(bitMismatches(values, mapScalar(values, roundToFloat16), values)).toEqual([]);
  });

  test('every midpoint between neighbouring float16 values rounds to even', () => {
    const {inputs, expected} = float16Midpoints();
    expect(inputs.length).toBe(2 * 0x7c00);
    expect(bitMismatches(inputs, mapScalar(inputs, roundToFloat16), expected)).toEqual([]);
  });

  test('the number API agrees with the bit-level reference (NaN is NaN)', () => {
    for (const {input} of FLOAT16_VECTORS) {
      const value = fromBits([input])[0] as number;
      const rounded = fromBits([float16RoundedBits(input)])[0] as number;
      expect(roundToFloat16(value)).toBe(rounded);
    }
  });

  test('a double is first stored as float32, as a tensor would hold it', () => {
    // 65519.999 is below the overflow midpoint as a double but 65520 in float32.
    expect(roundToFloat16(65519.999)).toBe(Infinity);
  });
});

describe('roundToBfloat16', () => {
  test.each(BFLOAT16_VECTORS.map((v) => [v.what, v] as const))('%s', (_what, vector) => {
    checkVectors([vector], bfloat16RoundedBits);
  });

  test('the number API agrees with the bit-level reference (NaN is NaN)', () => {
    for (const {input} of BFLOAT16_VECTORS) {
      const value = fromBits([input])[0] as number;
      const rounded = fromBits([bfloat16RoundedBits(input)])[0] as number;
      expect(roundToBfloat16(value)).toBe(rounded);
    }
  });

  test('every bfloat16 value round-trips exactly (all 65,536 patterns; a NaN becomes the quiet NaN of its sign)', () => {
    const bits = Uint32Array.from({length: 65536}, (_, h) => (h << 16) >>> 0);
    const isNaN = (b: number) => (b & 0x7fffffff) > 0x7f800000;
    const expected = bits.map((b) => (isNaN(b) ? ((b & 0x80000000) | 0x7fc00000) >>> 0 : b));
    const values = new Float32Array(bits.buffer);
    const actual = new Float32Array(bits.map(bfloat16RoundedBits).buffer);
    expect(bitMismatches(values, actual, new Float32Array(expected.buffer))).toEqual([]);
  });
});
