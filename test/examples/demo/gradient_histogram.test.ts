import {GradientHistogram, MAX_EXPONENT, MIN_EXPONENT, floorLog2} from '../../../examples/demo/gradient_histogram';

describe('floorLog2', () => {
  it.each([
    [1, 0],
    [0.75, -1],
    [-0.75, -1],
    [2 ** -24, -24],
    [Math.fround(2 ** -24 * 1.9999), -24],
    [3, 1],
    [65504, 15],
    [2 ** -130, -130], // a float32 subnormal
    [2 ** -149, -149],
  ])('floorLog2(%p) = %i', (value, expected) => {
    expect(floorLog2(value)).toBe(expected);
  });
});

describe('GradientHistogram', () => {
  it('counts each float16 range and each log2 bin', () => {
    const h = new GradientHistogram().add(new Float32Array([0, -0, 1e-9, 3e-6, -3e-6, 0.5, 1e5]));
    h.add([2 ** -60, NaN]);
    expect(h.total).toBe(9);
    expect(h.count('zero')).toBe(2);
    expect(h.count('flushed')).toBe(2);
    expect(h.count('subnormal')).toBe(2);
    expect(h.count('normal')).toBe(1);
    expect(h.count('overflow')).toBe(1);
    expect(h.count('nan')).toBe(1);
    expect(h.fraction('flushed')).toBeCloseTo(2 / 9, 12);
    const byExponent = new Map(h.bins.map((b) => [b.exponent, b.count]));
    expect(byExponent.get(-30)).toBe(1); // 1e-9
    expect(byExponent.get(-19)).toBe(2); // +-3e-6
    expect(byExponent.get(-1)).toBe(1); // 0.5
    expect(byExponent.get(MAX_EXPONENT)).toBe(1); // 1e5 = 2^16.6
    expect(byExponent.get(MIN_EXPONENT)).toBe(1); // 2^-60 clamped
    expect(h.bins.reduce((s, b) => s + b.count, 0)).toBe(6); // zeros and NaN have no bin
    expect(h.bins.length).toBe(MAX_EXPONENT - MIN_EXPONENT + 1);
  });

  it('reports zero fractions when empty', () => {
    const h = new GradientHistogram();
    expect(h.total).toBe(0);
    expect(h.fraction('zero')).toBe(0);
  });
});
