// mixed_float16 vs stock float32: one training step (Adam, batch 128) of the
// demo's convnet and MLP on webgl in headless Chromium, as ratios measured
// in the same page (the variants take turns in every trial). Chromium here
// renders with SwiftShader, on the CPU: read the ratios, never the times,
// as GPU figures.
//
//   npm run build && npx ts-node --transpile-only bench/browser_training_bench.ts [backend]
import * as path from 'path';

import {findChromium, INSTALL_HINT} from '../test/browser/harness/chromium';
import {BrowserBackend, BROWSER_BACKENDS, openBrowserSession} from '../test/browser/harness/browser_session';
import type {TrainingStepBenchArgs, TrainingStepBenchResult} from './browser/training_step_bench.page';

const PAGE = path.join(__dirname, 'browser', 'training_step_bench.page.ts');
const RUNS: readonly TrainingStepBenchArgs[] = [
  {kind: 'convnet', batchSize: 128, trials: 7, steps: 3},
  {kind: 'mlp', batchSize: 128, trials: 7, steps: 3},
];

(async () => {
  const backend = (process.argv[2] ?? 'webgl') as BrowserBackend;
  if (!BROWSER_BACKENDS.includes(backend)) {
    throw new Error(`backend must be one of ${BROWSER_BACKENDS.join(', ')}; received '${backend}'.`);
  }
  const chromium = findChromium();
  if (chromium === null) {
    throw new Error(`no Chromium found: ${INSTALL_HINT}`);
  }
  const session = await openBrowserSession(chromium, {extraPageModules: [PAGE]});
  try {
    const page = await session.openPage(backend);
    try {
      console.log(`training step (trainOnBatch, Adam, batch 128) on ${backend}, median of 7 trials of 3 steps; ratio to stock float32 (SwiftShader: ratios only)`);
      for (const args of RUNS) {
        const r = await page.run<TrainingStepBenchResult>('benchTrainingStep', args);
        const base = r['stock float32'] as number;
        const cells = Object.entries(r).map(([name, ms]) => `${name} ${(ms / base).toFixed(3)}`);
        console.log(`${args.kind.padEnd(8)} ${cells.join('  ')}   (stock: ${base.toFixed(0)} ms/step)`);
      }
    } finally {
      await page.close();
    }
  } finally {
    await session.close();
  }
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
