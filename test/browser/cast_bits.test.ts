// cast in real Chromium on every backend: bit patterns (all 65,536 float16
// values, every float16 and bfloat16 midpoint with its neighbours, 1M random
// float32 patterns) and gradients, compared with the cpu kernel bit for bit;
// where a configuration differs (WebGL 1's composite), the differing
// elements must be exactly those that gpu_differences.ts documents. No
// tensor may leak (BrowserPage.run).
import type {NarrowDtype} from '../../src/cast/narrow_dtype';
import {roundBits} from '../../src/cast/round_bits';
import {BrowserPage} from './harness/browser_session';
import {describeInBrowser} from './harness/browser_suite';
import {BROWSER_CONFIGS, DifferenceRule} from './gpu_differences';
import {bitPatternSet, BitPatternSetName} from './pages/bit_pattern_sets';
import type {CastBitsArgs, CastBitsResult, Difference} from './pages/cast_bits.page';

const RANDOM_COUNT = 1_000_000;
/** [title, set, count of random patterns]. */
function sets(randomCount: number): ReadonlyArray<[string, BitPatternSetName, number]> {
  return [
    ['all 65,536 float16 values', 'float16Values', 0],
    ['every float16 midpoint and its neighbours', 'float16Midpoints', 0],
    ['every bfloat16 midpoint and its neighbours', 'bfloat16Midpoints', 0],
    [`${randomCount} random patterns`, 'random', randomCount],
    // An odd length: webgpu's scalar shader (vec4s need a multiple of 4).
    ['65,537 random patterns', 'random', 65537],
  ];
}
const DTYPES: readonly NarrowDtype[] = ['float16', 'bfloat16'];

/** The differences the rule documents for these inputs, in input order. */
function expectedDifferences(rule: DifferenceRule | undefined, dtype: NarrowDtype, inputs: Float32Array): Difference[] {
  if (rule === undefined) {
    return [];
  }
  const x = new Uint32Array(inputs.buffer, inputs.byteOffset, inputs.length);
  const want = new Uint32Array(inputs.length);
  roundBits(dtype, x, want, new Float32Array(want.buffer));
  const out: Difference[] = [];
  x.forEach((input, i) => {
    const got = rule(input);
    if (got !== null && got !== want[i]) {
      out.push([input, got, want[i] as number]);
    }
  });
  return out;
}

const hex = (v: number) => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;
const show = (d: Difference[]) => d.slice(0, 5).map(([x, g, w]) => `input ${hex(x)}: got ${hex(g)}, want ${hex(w)}`);

describeInBrowser('cast in Chromium', (session) => {
  describe.each(BROWSER_CONFIGS.map((c) => [c.name, c] as const))('on %s', (_name, config) => {
    let page: BrowserPage;
    beforeAll(async () => {
      page = await session().openPage(config.backend, {flags: config.flags});
      if (config.flags?.WEBGL_VERSION !== undefined) {
        expect(page.info.webglVersion).toBe(config.flags.WEBGL_VERSION);
      }
    }, 60000);
    afterAll(() => page?.close());

    describe.each(DTYPES)('to %s', (dtype) => {
      const rule = config.rules?.[dtype];
      test.each(sets(config.randomCount ?? RANDOM_COUNT))('%s: the cpu kernel bit for bit, except the documented differences', async (_title, set, count) => {
        const args: CastBitsArgs = {dtype, set, count, seed: 17};
        const result = await page.run<CastBitsResult>('castBits', args);
        const inputs = bitPatternSet(set, count, 17);
        expect(result.count).toBe(inputs.length);
        const expected = expectedDifferences(rule, dtype, inputs);
        expect(show(result.differences)).toEqual(show(expected));
        expect(result.differences).toEqual(expected);
      });

      test('gradient: the upstream gradient rounded the same way', async () => {
        const args: CastBitsArgs = {dtype, set: 'random', count: 1 << 16, seed: 5};
        const result = await page.run<CastBitsResult>('castGradient', args);
        const expected = expectedDifferences(rule, dtype, bitPatternSet('random', 1 << 16, 5));
        expect(show(result.differences)).toEqual(show(expected));
        expect(result.differences).toEqual(expected);
      });
    });
  });
});
