import {DEFAULT_LOSS_SCALE_OPTIONS, FLOAT32_MAX, LossScaleOptions} from '../../src/loss_scale/loss_scale_options';
import {LossScaleState, adjustLossScale} from '../../src/loss_scale/loss_scale_rule';

// Each case: options, a pattern of steps ('F' finite, 'N' non-finite) and the
// [scale, goodSteps] expected after each step.
interface Case {
  name: string;
  options: LossScaleOptions;
  pattern: string;
  expected: [number, number][];
}

const CASES: Case[] = [
  {
    name: "Keras's reference: initial 2, growth period 1; finite then NaN",
    options: {initialScale: 2, dynamicGrowthSteps: 1},
    pattern: 'FN',
    expected: [[4, 0], [2, 0]],
  },
  {
    name: 'growth period 1 grows every finite step',
    options: {initialScale: 1, dynamicGrowthSteps: 1},
    pattern: 'FFFF',
    expected: [[2, 0], [4, 0], [8, 0], [16, 0]],
  },
  {
    name: 'growth after dynamicGrowthSteps consecutive finite steps, counter resets',
    options: {initialScale: 8, dynamicGrowthSteps: 3},
    pattern: 'FFFFFF',
    expected: [[8, 1], [8, 2], [16, 0], [16, 1], [16, 2], [32, 0]],
  },
  {
    name: 'a non-finite step halves the scale and restarts the count',
    options: {initialScale: 8, dynamicGrowthSteps: 3},
    pattern: 'FFNFFF',
    expected: [[8, 1], [8, 2], [4, 0], [4, 1], [4, 2], [8, 0]],
  },
  {
    name: 'backoff is floored at minScale (default 1, as Keras 2)',
    options: {initialScale: 4, dynamicGrowthSteps: 10},
    pattern: 'NNNN',
    expected: [[2, 0], [1, 0], [1, 0], [1, 0]],
  },
  {
    name: 'a custom floor below 1',
    options: {initialScale: 1, minScale: 0.25, dynamicGrowthSteps: 10},
    pattern: 'NNN',
    expected: [[0.5, 0], [0.25, 0], [0.25, 0]],
  },
  {
    name: 'growth stops at maxScale; the counter still resets',
    options: {initialScale: 4, maxScale: 8, dynamicGrowthSteps: 1},
    pattern: 'FFFN',
    expected: [[8, 0], [8, 0], [8, 0], [4, 0]],
  },
  {
    name: 'a cap that is not a power of the growth factor',
    options: {initialScale: 4, maxScale: 12, dynamicGrowthSteps: 2},
    pattern: 'FFFF',
    expected: [[4, 1], [8, 0], [8, 1], [8, 0]],
  },
  {
    name: 'never grows to float32 Inf with the default cap',
    options: {initialScale: 2 ** 127, dynamicGrowthSteps: 1},
    pattern: 'FFN',
    expected: [[2 ** 127, 0], [2 ** 127, 0], [2 ** 126, 0]],
  },
  {
    name: 'growthFactor and backoffFactor',
    options: {initialScale: 2, dynamicGrowthSteps: 1, growthFactor: 4, backoffFactor: 0.125},
    pattern: 'FNN',
    expected: [[8, 0], [1, 0], [1, 0]],
  },
  {
    name: 'products are rounded to float32',
    options: {initialScale: 1, dynamicGrowthSteps: 1, growthFactor: 1.1},
    pattern: 'FF',
    expected: [[Math.fround(1.1), 0], [Math.fround(Math.fround(1.1) * 1.1), 0]],
  },
  {
    name: 'fixed scale: nothing changes, whatever the gradients',
    options: {dynamic: false, initialScale: 128},
    pattern: 'FNFFN',
    expected: [[128, 0], [128, 0], [128, 0], [128, 0], [128, 0]],
  },
];

function run(options: LossScaleOptions, pattern: string): [number, number][] {
  const opts = {...DEFAULT_LOSS_SCALE_OPTIONS, ...options};
  let state: LossScaleState = Object.freeze({scale: opts.initialScale, goodSteps: 0});
  const out: [number, number][] = [];
  for (const step of pattern) {
    // Frozen: the rule must return a new state, never mutate its input.
    state = Object.freeze(adjustLossScale(state, step === 'F', opts));
    out.push([state.scale, state.goodSteps]);
  }
  return out;
}

describe('adjustLossScale', () => {
  test.each(CASES)('$name', ({options, pattern, expected}) => {
    expect(run(options, pattern)).toEqual(expected);
  });

  test("Keras's defaults: 2^15 doubles on the 2000th consecutive finite step", () => {
    const trace = run({}, 'F'.repeat(2000));
    expect(trace[0]).toEqual([32768, 1]);
    expect(trace[1998]).toEqual([32768, 1999]);
    expect(trace[1999]).toEqual([65536, 0]);
  });

  test('a non-finite step at 1999 good steps restarts the count', () => {
    const trace = run({}, 'F'.repeat(1999) + 'N' + 'F'.repeat(2000));
    expect(trace[1999]).toEqual([16384, 0]);
    expect(trace[3998]).toEqual([16384, 1999]);
    expect(trace[3999]).toEqual([32768, 0]);
  });

  test('the default cap is the largest finite float32', () => {
    expect(DEFAULT_LOSS_SCALE_OPTIONS.maxScale).toBe(FLOAT32_MAX);
    expect(Math.fround(FLOAT32_MAX)).toBe(FLOAT32_MAX);
    expect(Math.fround(FLOAT32_MAX * 1.0000001)).toBe(Infinity);
  });
});
