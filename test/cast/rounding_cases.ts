// Test data shared by the rounding tests: hand-checked vectors (each also
// checked against numpy's astype(float16) when written), the exhaustive
// float16 sets, and a reproducible random sample of float32 bit patterns.

/** One rounding vector: float32 input bits and the expected output bits. */
export interface RoundingVector {
  what: string;
  input: number;
  expected: number;
}

const NAN = 0x7fc00000;
const INF = 0x7f800000;
const NEG_INF = 0xff800000;

export const FLOAT16_VECTORS: readonly RoundingVector[] = [
  {what: '65504, the largest float16', input: 0x477fe000, expected: 0x477fe000},
  {what: '65519.99 rounds down to 65504', input: 0x477fefff, expected: 0x477fe000},
  {what: '65520 (the midpoint above 65504) overflows', input: 0x477ff000, expected: INF},
  {what: '-65520 overflows to -Inf', input: 0xc77ff000, expected: NEG_INF},
  {what: '65536 overflows', input: 0x47800000, expected: INF},
  {what: '1e10 overflows', input: 0x501502f9, expected: INF},
  {what: 'float32 max overflows', input: 0x7f7fffff, expected: INF},
  {what: '2^-14, the smallest normal', input: 0x38800000, expected: 0x38800000},
  {what: 'largest subnormal 1023 * 2^-24', input: 0x387fc000, expected: 0x387fc000},
  {what: '1023.5 * 2^-24 ties to even 2^-14', input: 0x387fe000, expected: 0x38800000},
  {what: 'just below 2^-14 rounds up to it', input: 0x387fffff, expected: 0x38800000},
  {what: '2^-24, the smallest subnormal', input: 0x33800000, expected: 0x33800000},
  {what: '2^-25 ties to even 0', input: 0x33000000, expected: 0x00000000},
  {what: '-2^-25 ties to even -0', input: 0xb3000000, expected: 0x80000000},
  {what: 'just above 2^-25 rounds up to 2^-24', input: 0x33000001, expected: 0x33800000},
  {what: '3 * 2^-25 ties to even 2^-23', input: 0x33c00000, expected: 0x34000000},
  {what: '5 * 2^-25 ties to even 2^-23', input: 0x34200000, expected: 0x34000000},
  {what: '1e-8 underflows to 0', input: 0x322bcc77, expected: 0x00000000},
  {what: '-1e-8 underflows to -0', input: 0xb22bcc77, expected: 0x80000000},
  {what: 'the smallest float32 subnormal underflows', input: 0x00000001, expected: 0x00000000},
  {what: '+0', input: 0x00000000, expected: 0x00000000},
  {what: '-0', input: 0x80000000, expected: 0x80000000},
  {what: '+Inf', input: INF, expected: INF},
  {what: '-Inf', input: NEG_INF, expected: NEG_INF},
  {what: 'NaN', input: NAN, expected: NAN},
  // NaN payloads as numpy's astype(float16) gives them (checked with numpy
  // 2.4): the top 10 payload bits kept, at least one set, sign kept, a
  // signalling NaN left signalling.
  {what: 'NaN 0x7fc00001 loses its low payload bits', input: 0x7fc00001, expected: 0x7fc00000},
  {what: 'signalling NaN 0x7f800001 keeps a non-zero payload', input: 0x7f800001, expected: 0x7f802000},
  {what: 'negative signalling NaN keeps its sign', input: 0xff800001, expected: 0xff802000},
  {what: 'signalling NaN 0x7fa00000 stays signalling', input: 0x7fa00000, expected: 0x7fa00000},
  {what: 'NaN 0x7f801fff: payload below the kept bits', input: 0x7f801fff, expected: 0x7f802000},
  {what: 'NaN 0xffffffff: top 10 payload bits kept', input: 0xffffffff, expected: 0xffffe000},
  {what: 'NaN 0x7fbfffff truncates (never rounds)', input: 0x7fbfffff, expected: 0x7fbfe000},
  {what: '1 + 2^-11 ties to even 1', input: 0x3f801000, expected: 0x3f800000},
  {what: '1 + 3 * 2^-11 ties to even 1 + 2^-9', input: 0x3f803000, expected: 0x3f804000},
  {what: '1.1 rounds to 1.099609375', input: 0x3f8ccccd, expected: 0x3f8cc000},
  {what: '2049 ties to even 2048', input: 0x45001000, expected: 0x45000000},
  {what: '2051 ties to even 2052', input: 0x45003000, expected: 0x45004000},
  {what: '-2051 ties to even -2052', input: 0xc5003000, expected: 0xc5004000},
];

export const BFLOAT16_VECTORS: readonly RoundingVector[] = [
  {what: '1 + 2^-8 ties to even 1', input: 0x3f808000, expected: 0x3f800000},
  {what: '1 + 3 * 2^-8 ties to even 1 + 2^-6', input: 0x3f818000, expected: 0x3f820000},
  {what: 'just above 1 + 2^-8 rounds up', input: 0x3f808001, expected: 0x3f810000},
  {what: 'just below 1 + 2^-8 rounds down', input: 0x3f807fff, expected: 0x3f800000},
  {what: '1.1 rounds to 1.1015625', input: 0x3f8ccccd, expected: 0x3f8d0000},
  {what: '65520 rounds to 65536 (no float16 overflow)', input: 0x477ff000, expected: 0x47800000},
  {what: 'float32 max overflows', input: 0x7f7fffff, expected: INF},
  {what: 'tie above the largest bfloat16 overflows', input: 0x7f7f8000, expected: INF},
  {what: 'just below that tie keeps the largest', input: 0x7f7f7fff, expected: 0x7f7f0000},
  {what: '-float32 max overflows to -Inf', input: 0xff7fffff, expected: NEG_INF},
  {what: 'subnormal tie to even 0', input: 0x00008000, expected: 0x00000000},
  {what: 'subnormal tie to even 2^-132', input: 0x00018000, expected: 0x00020000},
  {what: 'smallest float32 subnormal underflows', input: 0x00000001, expected: 0x00000000},
  {what: 'negative subnormal underflows to -0', input: 0x80000001, expected: 0x80000000},
  {what: 'largest subnormal rounds up to -2^-126', input: 0x807fffff, expected: 0x80800000},
  {what: '1e-8 (a normal bfloat16 value range)', input: 0x322bcc77, expected: 0x322c0000},
  {what: '+0', input: 0x00000000, expected: 0x00000000},
  {what: '-0', input: 0x80000000, expected: 0x80000000},
  {what: '+Inf', input: INF, expected: INF},
  {what: '-Inf', input: NEG_INF, expected: NEG_INF},
  {what: 'NaN', input: NAN, expected: NAN},
  // NaN payloads as Eigen's bfloat16 (ml_dtypes, TensorFlow) gives them: the
  // quiet NaN with the input's sign, whatever the payload.
  {what: 'NaN 0x7fc00001 becomes the quiet NaN', input: 0x7fc00001, expected: NAN},
  {what: 'signalling NaN 0x7f800001 becomes the quiet NaN', input: 0x7f800001, expected: NAN},
  {what: 'negative signalling NaN becomes -quiet NaN', input: 0xff800001, expected: 0xffc00000},
  {what: 'NaN 0xffffffff becomes -quiet NaN', input: 0xffffffff, expected: 0xffc00000},
  {what: 'NaN 0x7fff8000 (a carry would overflow) becomes the quiet NaN', input: 0x7fff8000, expected: NAN},
  {what: 'NaN 0x7f808000 (a tie) becomes the quiet NaN', input: 0x7f808000, expected: NAN},
];

/** The value of float16 bit pattern `h`, decoded arithmetically. */
export function decodeFloat16(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0x1f) {
    return mantissa === 0 ? sign * Infinity : NaN;
  }
  if (exponent === 0) {
    return sign * mantissa * 2 ** -24;
  }
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** All 65,536 float16 values, decoded, as a float32 array. */
export function allFloat16Values(): Float32Array {
  const values = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    values[h] = decodeFloat16(h);
  }
  return values;
}

/**
 * Every midpoint between neighbouring float16 values of one sign (including
 * 65520, the midpoint between 65504 and the next power of two), both signs,
 * with the value a round-to-nearest-even must give: the neighbour with the
 * even bit pattern, Infinity above 65504.
 */
export function float16Midpoints(): {inputs: Float32Array; expected: Float32Array} {
  const inputs: number[] = [];
  const expected: number[] = [];
  for (let h = 0; h < 0x7c00; h++) {
    const low = decodeFloat16(h);
    // Above 65504 the next binary16 step would be 65536: it overflows.
    const high = h === 0x7bff ? 65536 : decodeFloat16(h + 1);
    const even = h % 2 === 0 ? low : h === 0x7bff ? Infinity : high;
    for (const sign of [1, -1]) {
      inputs.push((sign * (low + high)) / 2);
      expected.push(sign * even);
    }
  }
  // Every midpoint needs 12 significant bits: exact in float32.
  return {inputs: Float32Array.from(inputs), expected: Float32Array.from(expected)};
}

/** A reproducible stream of uint32 (mulberry32). */
export function randomBits(count: number, seed: number): Uint32Array {
  const out = new Uint32Array(count);
  let state = seed >>> 0;
  for (let i = 0; i < count; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (t ^ (t >>> 14)) >>> 0;
  }
  return out;
}

/**
 * Random float32 patterns: half uniform over all 2^32 patterns (NaNs,
 * infinities, float32 subnormals included), half with exponents in and
 * around the float16 range, where float16 rounding does all its work.
 */
export function randomFloat32(count: number, seed: number): Float32Array {
  const bits = randomBits(count, seed);
  for (let i = 1; i < count; i += 2) {
    const b = bits[i] as number;
    // Biased exponent 98..161: from below 2^-25 to above 65520.
    const exponent = 98 + ((b >>> 23) & 63);
    bits[i] = (b & 0x807fffff) | (exponent << 23);
  }
  return new Float32Array(bits.buffer);
}

/** The float32 bit pattern of each value. */
export function bitsOf(values: Float32Array): Uint32Array {
  return new Uint32Array(values.buffer, values.byteOffset, values.length);
}

/**
 * How NaN results are compared: 'exact' bit for bit (the kernels and the
 * GPU shaders, which follow nan_rules.ts), 'any' a NaN only has to meet a
 * NaN (the composite of stock ops: arithmetic cannot read a NaN's payload).
 */
export type NaNComparison = 'exact' | 'any';

/**
 * Indexes where `actual` and `expected` differ bit for bit (NaN as `nan`
 * says). Returns at most `limit` descriptions, so a failure shows the first
 * few cases.
 */
export function bitMismatches(
  inputs: Float32Array,
  actual: Float32Array,
  expected: Float32Array,
  limit = 5,
  nan: NaNComparison = 'exact',
): string[] {
  const a = bitsOf(actual);
  const e = bitsOf(expected);
  const x = bitsOf(inputs);
  const out: string[] = [];
  if (actual.length !== expected.length) {
    return [`length ${actual.length} != ${expected.length}`];
  }
  for (let i = 0; i < a.length && out.length < limit; i++) {
    const bothNaN = nan === 'any' && Number.isNaN(actual[i]) && Number.isNaN(expected[i]);
    if (a[i] !== e[i] && !bothNaN) {
      out.push(
        `[${i}] input 0x${hex(x[i])} (${inputs[i]}): got 0x${hex(a[i])} (${actual[i]}), ` +
          `want 0x${hex(e[i])} (${expected[i]})`,
      );
    }
  }
  return out;
}

function hex(v: number | undefined): string {
  return (v ?? 0).toString(16).padStart(8, '0');
}

/** Float32 array of bit patterns. */
export function fromBits(bits: readonly number[]): Float32Array {
  return new Float32Array(Uint32Array.from(bits).buffer);
}
