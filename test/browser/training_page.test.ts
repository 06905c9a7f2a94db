// The training page (`npm run demo:web`) in headless Chromium: served as the
// npm script serves it, it trains the demo's three runs (a short run of
// experiment B, where loss scaling matters) on webgl, draws its charts and
// histogram, leaks no tensor, and takes a screenshot: out/web-demo.png, or
// docs/web-demo.png (the README's picture) when UPDATE_DOCS_SCREENSHOT=1, so
// that a test run leaves the tracked files as they were.
import * as path from 'path';

import {startTrainingPageServer, TrainingPageServer} from '../../examples/web/page_server';
import type {PageState} from '../../examples/web/training_page';
import {findChromium, launchChromium, LaunchedChromium} from './harness/chromium';
import {describeInBrowser} from './harness/browser_suite';

const ROOT = path.join(__dirname, '..', '..');
const SCREENSHOT = path.join(ROOT, process.env['UPDATE_DOCS_SCREENSHOT'] === '1' ? 'docs' : 'out', 'web-demo.png');
// webgl: the fastest GPU backend on a machine without a GPU (SwiftShader); 12 steps per run.
const QUERY = '?autostart=1&backend=webgl&experiment=B&train=192&test=500&epochs=2&batch=32';
const STEPS_PER_RUN = 12;

describeInBrowser('the training page', () => {
  let server: TrainingPageServer | undefined;
  let chromium: LaunchedChromium | undefined;
  beforeAll(async () => {
    server = await startTrainingPageServer();
    chromium = await launchChromium(findChromium() as string);
  }, 120000);
  afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  test('trains the three runs with finite losses, draws the charts and the histogram, leaks nothing', async () => {
    const page = await (chromium as LaunchedChromium).browser.newPage({viewport: {width: 1100, height: 900}});
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(`${(server as TrainingPageServer).url}${QUERY}`);
      await page.waitForFunction(
        () => ['done', 'error'].includes((globalThis as {trainingPage?: PageState}).trainingPage?.state ?? ''),
        null,
        {timeout: 900000, polling: 1000},
      );
      const state = (await page.evaluate(() => (globalThis as {trainingPage?: PageState}).trainingPage)) as PageState;
      expect([state.state, state.error, errors]).toEqual(['done', undefined, []]);
      const backends = Object.fromEntries((state.backends ?? []).map((b) => [b.name, b.available]));
      expect(backends['webgl']).toBe(true);
      expect(backends['cpu']).toBe(true);
      const result = state.result!;
      expect(result.backend).toBe('webgl');
      expect(result.results.map((r) => [r.name, r.policy, r.optimizer])).toEqual([
        ['1', 'float32', 'adam'],
        ['2', 'mixed_float16', 'adam'],
        ['3', 'mixed_float16', 'LossScale(adam)'],
      ]);
      for (const r of result.results) {
        expect(Number.isFinite(r.finalLoss)).toBe(true);
        expect(r.testAccuracy).toBeGreaterThan(0);
        expect(r.testAccuracy).toBeLessThanOrEqual(1);
      }
      const [, run2, run3] = result.results;
      // Experiment B: float16 alone flushes more activation gradients than with loss scaling.
      expect(run2!.underflowFraction!).toBeGreaterThan(run3!.underflowFraction!);
      expect(Number.isInteger(Math.log2(run3!.finalLossScale!))).toBe(true);
      // Every step's loss and every epoch's accuracy were charted.
      expect(result.chartPoints).toEqual([[STEPS_PER_RUN, 2], [STEPS_PER_RUN, 2], [STEPS_PER_RUN, 2]]);
      expect(result.tensorsAfter).toBe(result.tensorsBefore);

      const drawn = await page.evaluate(() => ({
        lossLines: document.querySelectorAll('#loss-chart polyline').length,
        accuracyDots: document.querySelectorAll('#accuracy-chart circle').length,
        histogramBars: document.querySelectorAll('#histogram rect').length,
        tableRows: document.querySelectorAll('#results tr').length,
        log: document.getElementById('log')?.textContent ?? '',
      }));
      expect(drawn.lossLines).toBe(3);
      expect(drawn.accuracyDots).toBe(6);
      expect(drawn.histogramBars).toBeGreaterThan(20);
      expect(drawn.tableRows).toBe(4);
      expect(drawn.log).toMatch(/run 3 mixed_float16\/LossScale\(adam\) {2}epoch 2\/2 {2}loss \d/);
      expect(drawn.log).toMatch(/done in /);
      await page.screenshot({path: SCREENSHOT, fullPage: true});
    } finally {
      await page.close();
    }
  }, 960000);
});
