// cast vs tf.add on 1M elements in headless Chromium, per backend, as
// ratios measured in the same page: webgl and webgpu (the GPU kernels, and
// the composite of stock ops they replace), wasm in the SIMD build and in
// the threaded build (a cross-origin isolated page). Chromium here renders
// with SwiftShader, on the CPU: read the ratios, never the times, as GPU
// figures.
//
//   npm run build && npx ts-node --transpile-only bench/browser_cast_bench.ts
import * as path from 'path';

import {findChromium, INSTALL_HINT} from '../test/browser/harness/chromium';
import {BrowserBackend, openBrowserSession} from '../test/browser/harness/browser_session';
import type {CastBenchArgs, CastBenchResult} from './browser/cast_bench.page';

const PAGE = path.join(__dirname, 'browser', 'cast_bench.page.ts');
const ARGS: CastBenchArgs = {size: 1 << 20, trials: 9, repeats: 10, composite: true};

interface Row {
  name: string;
  result: CastBenchResult;
}

async function measure(backends: BrowserBackend[], crossOriginIsolated: boolean, label: string): Promise<Row[]> {
  const chromium = findChromium();
  if (chromium === null) {
    throw new Error(`no Chromium found: ${INSTALL_HINT}`);
  }
  const session = await openBrowserSession(chromium, {crossOriginIsolated, extraPageModules: [PAGE]});
  const rows: Row[] = [];
  try {
    for (const backend of backends) {
      const page = await session.openPage(backend);
      try {
        rows.push({name: `${backend}${label}`, result: await page.run<CastBenchResult>('benchCast', ARGS)});
      } finally {
        await page.close();
      }
    }
  } finally {
    await session.close();
  }
  return rows;
}

const ratio = (a: number | undefined, b: number | undefined = 1) =>
  a === undefined ? '-' : (a / b).toFixed(2);

(async () => {
  const rows = [
    ...(await measure(['webgl', 'webgpu', 'wasm'], false, '')),
    ...(await measure(['wasm'], true, ' threaded')),
  ];
  console.log(
    `cast / tf.add on ${ARGS.size} elements: median over ${ARGS.trials} trials of the ratio within a trial ` +
      `(${ARGS.repeats} ops each; SwiftShader runs on the CPU: ratios only)`,
  );
  console.log('backend          float16  bfloat16  composite f16  composite bf16');
  for (const {name, result: r} of rows) {
    console.log(
      `${name.padEnd(16)} ${ratio(r.castFloat16).padStart(7)}  ${ratio(r.castBfloat16).padStart(8)}  ` +
        `${ratio(r.compositeFloat16).padStart(13)}  ${ratio(r.compositeBfloat16).padStart(14)}`,
    );
  }
  const simd = rows.find((r) => r.name === 'wasm')?.result;
  const threaded = rows.find((r) => r.name === 'wasm threaded')?.result;
  const castTime = (r: CastBenchResult | undefined, key: string) =>
    r?.[key] === undefined || r.add === undefined ? undefined : (r[key] as number) * r.add;
  console.log(
    `wasm threaded / SIMD build, cast time: float16 ` +
      `${ratio(castTime(threaded, 'castFloat16'), castTime(simd, 'castFloat16'))}, bfloat16 ` +
      `${ratio(castTime(threaded, 'castBfloat16'), castTime(simd, 'castBfloat16'))} (tf.add ${ratio(threaded?.add, simd?.add)})`,
  );
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
