import {roundToBfloat16, roundToFloat16} from '../../src/cast/round_scalar';
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

function checkVectors(vectors: readonly RoundingVector[], round: (v: number) => number): void {
  const inputs = fromBits(vectors.map((v) => v.input));
  const expected = fromBits(vectors.map((v) => v.expected));
  const mismatches = bitMismatches(inputs, mapScalar(inputs, round), expected, vectors.length);
  expect(mismatches).toEqual([]);
}

describe('roundToFloat16', () => {
  test.each(FLOAT16_VECTORS.map((v) => [v.what, v] as const))('%s', (_what, vector) => {
    checkVectors([vector], roundToFloat16);
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

  test('a double is first stored as float32, as a tensor would hold it', () => {
    // 65519.999 is below the overflow midpoint as a double but 65520 in float32.
    expect(roundToFloat16(65519.999)).toBe(Infinity);
  });
});

describe('roundToBfloat16', () => {
  test.each(BFLOAT16_VECTORS.map((v) => [v.what, v] as const))('%s', (_what, vector) => {
    checkVectors([vector], roundToBfloat16);
  });

  test('every bfloat16 value round-trips exactly (all 65,536 patterns)', () => {
    const values = new Float32Array(Uint32Array.from({length: 65536}, (_, h) => h << 16).buffer);
    expect(bitMismatches(values, mapScalar(values, roundToBfloat16), values)).toEqual([]);
  });
});
