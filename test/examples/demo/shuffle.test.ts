import {PIXELS, MnistSplit} from '../../../examples/demo/mnist';
import {seededPermutation, seededRandom, selectExamples} from '../../../examples/demo/shuffle';

describe('seededRandom', () => {
  it('is deterministic per seed, in [0, 1), and differs across seeds', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const c = seededRandom(8);
    const xs = Array.from({length: 1000}, () => a());
    expect(Array.from({length: 1000}, () => b())).toEqual(xs);
    expect(Array.from({length: 1000}, () => c())).not.toEqual(xs);
    for (const x of xs) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.05);
  });
});

describe('seededPermutation', () => {
  it.each([1, 2, 10, 1000])('is a permutation of 0..%i-1', (n) => {
    const p = seededPermutation(n, 3);
    expect(p.slice().sort((x, y) => x - y)).toEqual(Array.from({length: n}, (_, i) => i));
  });

  it('is the same for the same seed and shuffles', () => {
    expect(seededPermutation(100, 5)).toEqual(seededPermutation(100, 5));
    expect(seededPermutation(100, 5)).not.toEqual(seededPermutation(100, 6));
    const fixed = seededPermutation(100, 5).filter((v, i) => v === i).length;
    expect(fixed).toBeLessThan(10);
  });
});

describe('selectExamples', () => {
  const split: MnistSplit = {
    images: Float32Array.from({length: 3 * PIXELS}, (_, i) => Math.floor(i / PIXELS) + 1),
    labels: Uint8Array.from([4, 5, 6]),
    count: 3,
  };

  it('copies the rows at the given indices, in order', () => {
    const picked = selectExamples(split, [2, 0, 2]);
    expect(picked.count).toBe(3);
    expect(Array.from(picked.labels)).toEqual([6, 4, 6]);
    expect(picked.images[0]).toBe(3);
    expect(picked.images[PIXELS]).toBe(1);
    expect(picked.images[3 * PIXELS - 1]).toBe(3);
  });

  it('rejects an index outside the split', () => {
    expect(() => selectExamples(split, [0, 3])).toThrow('indices must be integers from 0 to 2; found 3.');
  });
});
