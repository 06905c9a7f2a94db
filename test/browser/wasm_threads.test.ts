// The wasm rounding kernel in tfjs's two browser builds: the SIMD build (a
// plain page) and the threaded SIMD build (a cross-origin isolated page,
// whose heap is a shared memory). Both must run our SIMD module on the
// backend's heap, never fall back to the JS loop, and agree with the cpu
// kernel bit for bit.
import {BrowserPage} from './harness/browser_session';
import {describeInBrowser} from './harness/browser_suite';
import type {CastBitsResult} from './pages/cast_bits.page';
import type {WasmRoundPathResult} from './pages/wasm_round.page';

for (const threaded of [false, true]) {
  describeInBrowser(
    `wasm rounding kernel, ${threaded ? 'threaded build (cross-origin isolated page)' : 'SIMD build'}`,
    (session) => {
      let page: BrowserPage;
      beforeAll(async () => {
        page = await session().openPage('wasm');
      }, 60000);
      afterAll(() => page?.close());

      test(`loads the ${threaded ? 'threaded' : 'single-threaded'} build`, () => {
        expect(page.info.crossOriginIsolated).toBe(threaded);
        expect(page.info.wasmThreads).toBe(threaded);
      });

      test(`runs the SIMD module on the ${threaded ? 'shared' : 'unshared'} heap, not the JS loop`, async () => {
        const result = await page.run<WasmRoundPathResult>('wasmRoundPath');
        expect(result).toEqual({path: 'simd', sharedMemory: threaded});
      });

      test.each(['float16', 'bfloat16'] as const)('%s: 1M random patterns bit for bit as the cpu kernel', async (dtype) => {
        const result = await page.run<CastBitsResult>('castBits', {dtype, set: 'random', count: 1_000_000, seed: 23});
        expect(result.count).toBe(1_000_000);
        expect(result.differences).toEqual([]);
        const after = await page.run<WasmRoundPathResult>('wasmRoundPath');
        expect(after.path).toBe('simd');
      });
    },
    {crossOriginIsolated: threaded},
  );
}
