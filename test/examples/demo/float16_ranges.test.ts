import {roundToFloat16} from '../../../src/cast/round_scalar';
import {
  FLOAT16_FLUSH_LIMIT,
  FLOAT16_MIN_NORMAL,
  FLOAT16_MIN_SUBNORMAL,
  Float16Range,
  float16Range,
} from '../../../examples/demo/float16_ranges';
import {seededRandom} from '../../../examples/demo/shuffle';

const f32 = (v: number): number => Math.fround(v);

describe('float16Range', () => {
  it.each<[number, Float16Range]>([
    [0, 'zero'],
    [-0, 'zero'],
    [1e-30, 'flushed'],
    [FLOAT16_FLUSH_LIMIT, 'flushed'], // the tie rounds to even: 0
    [-FLOAT16_FLUSH_LIMIT, 'flushed'],
    [f32(FLOAT16_FLUSH_LIMIT * (1 + 2 ** -23)), 'subnormal'],
    [FLOAT16_MIN_SUBNORMAL, 'subnormal'],
    [f32(FLOAT16_MIN_NORMAL * (1 - 2 ** -24)), 'subnormal'],
    [FLOAT16_MIN_NORMAL, 'normal'],
    [1, 'normal'],
    [-65504, 'normal'],
    [f32(65519.99), 'normal'],
    [65520, 'overflow'],
    [-Infinity, 'overflow'],
    [NaN, 'nan'],
  ])('%p is %s', (value, range) => {
    expect(float16Range(value)).toBe(range);
  });

  it('agrees with the scalar float16 rounding reference on 200,000 random magnitudes', () => {
    const next = seededRandom(11);
    const disagreements: number[] = [];
    const seen = new Set<Float16Range>();
    for (let i = 0; i < 200000; i++) {
      const v = f32((next() < 0.5 ? -1 : 1) * 2 ** (-40 + 58 * next()));
      const rounded = roundToFloat16(v);
      const range = float16Range(v);
      seen.add(range);
      if ((range === 'flushed') !== (rounded === 0) || (range === 'overflow') !== !Number.isFinite(rounded)) {
        disagreements.push(v);
      }
    }
    expect(disagreements).toEqual([]);
    expect([...seen].sort()).toEqual(['flushed', 'normal', 'overflow', 'subnormal']);
  });
});
