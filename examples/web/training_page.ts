// The training page (examples/web/index.html; `npm run demo:web` builds and
// serves it): the console demo's three runs, trained in the browser on the
// best backend there, with live loss and accuracy charts, the results table
// and the activation-gradient histogram against float16's range.
//
// The state of the page is published as `window.trainingPage` (what the
// browser test reads): 'loading', 'ready', 'training', 'done' or 'error'.

import * as tf from '@tensorflow/tfjs';

import {DEFAULT_OPTIONS} from '../demo/demo_options';
import {demoExperiments, demoTensors, disposeDemoTensors, experimentSetup} from '../demo/demo_setup';
import {RUNS, runExperiment} from '../demo/experiment';
import {renderHistogramSvg} from '../demo/histogram_svg';
import {DemoProgress, formatDuration} from '../demo/progress';
import {RunResult, formatResultsHtml} from '../demo/results_table';
import {RunProgress} from '../demo/train_run';
import {LiveCharts} from './live_charts';
import {BackendStatus, probeBackends, serveWasmFrom, useBackend} from './page_backends';
import {MnistFiles, fetchMnist, pageSplits} from './page_data';
import {LEARNING_RATE, PAGE_BACKENDS, PageOptions, pageSearch, parsePageOptions} from './page_options';

/** What a finished training reports (JSON-serializable). */
export interface PageResult {
  readonly backend: string;
  readonly options: PageOptions;
  readonly results: readonly RunResult[];
  /** [loss points, accuracy points] drawn per run. */
  readonly chartPoints: ReadonlyArray<[number, number]>;
  readonly seconds: number;
  /** Live tensors before the shared tensors were made, and after everything was disposed. */
  readonly tensorsBefore: number;
  readonly tensorsAfter: number;
}

export interface PageState {
  state: 'loading' | 'ready' | 'training' | 'done' | 'error';
  error?: string;
  backends?: BackendStatus[];
  result?: PageResult;
}

const page: PageState = {state: 'loading'};
(globalThis as {trainingPage?: PageState}).trainingPage = page;

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) {
    throw new Error(`the page has no element #${id}`);
  }
  return found as T;
}

function setState(state: PageState['state']): void {
  page.state = state;
  document.body.dataset.state = state;
}

function status(text: string, isError = false): void {
  const el = element('status');
  el.textContent = text;
  el.className = isError ? 'error' : '';
}

function log(text: string): void {
  const el = element<HTMLPreElement>('log');
  el.textContent += text;
  el.scrollTop = el.scrollHeight;
  // The same lines in the browser console (and in a test's or CI's log).
  console.log(text.trimEnd());
}

const FIELDS = ['backend', 'model', 'experiment', 'train', 'test', 'epochs', 'batch'] as const;

function fillForm(options: PageOptions): void {
  const values: Record<(typeof FIELDS)[number], string> = {
    backend: options.backend,
    model: options.model,
    experiment: options.experiment,
    train: String(options.trainCount),
    test: String(options.testCount),
    epochs: String(options.epochs),
    batch: String(options.batchSize),
  };
  for (const field of FIELDS) {
    element<HTMLInputElement | HTMLSelectElement>(field).value = values[field];
  }
}

function readForm(): PageOptions {
  const params = new URLSearchParams();
  for (const field of FIELDS) {
    params.set(field, element<HTMLInputElement | HTMLSelectElement>(field).value);
  }
  return parsePageOptions(`?${params.toString()}`);
}

function fillBackends(statuses: readonly BackendStatus[]): void {
  const select = element<HTMLSelectElement>('backend');
  const best = statuses.find((s) => s.available)?.name ?? '-';
  const options = [`<option value="auto">best available (${best})</option>`];
  for (const s of statuses) {
    const note = s.available ? '' : ` (unavailable: ${s.reason ?? ''})`;
    options.push(`<option value="${s.name}"${s.available ? '' : ' disabled'}>${s.name}${note}</option>`);
  }
  select.innerHTML = options.join('');
}

function setFormEnabled(enabled: boolean): void {
  for (const field of [...FIELDS, 'start']) {
    (element(field) as HTMLInputElement).disabled = !enabled;
  }
}

/** Trains the three runs of the chosen experiment; resolves when done. */
async function train(options: PageOptions, files: MnistFiles, statuses: readonly BackendStatus[]): Promise<PageResult> {
  const started = performance.now();
  const backend = await useBackend(options.backend, statuses);
  const experiment = demoExperiments(DEFAULT_OPTIONS.smallLossExponent ?? 14)[options.experiment === 'A' ? 0 : 1];
  if (experiment === undefined) {
    throw new Error(`experiment must be A or B; received '${options.experiment}'.`);
  }
  const {train: trainSplit, test} = pageSplits(files, options.trainCount, options.testCount);
  const stepsPerRun = Math.ceil(trainSplit.count / options.batchSize) * options.epochs;
  const total = stepsPerRun * RUNS.length;
  const charts = new LiveCharts(stepsPerRun, options.epochs);
  const lossChart = element('loss-chart');
  const accuracyChart = element('accuracy-chart');
  const bar = element<HTMLProgressElement>('progress');
  lossChart.innerHTML = charts.lossSvg();
  accuracyChart.innerHTML = charts.accuracySvg();
  element('results').innerHTML = '';
  element('histogram').innerHTML = '';
  log(
    `backend ${backend}; ${options.model}; experiment ${experiment.title}; ${trainSplit.count} training images, ` +
      `${test.count} test images; batch ${options.batchSize}; ${options.epochs} epoch(s) = ${stepsPerRun} steps per run; ` +
      `Adam lr ${LEARNING_RATE}\n`,
  );

  const demoProgress = new DemoProgress(total, {write: log});
  let redraw = 0;
  const progress: RunProgress = {
    step: (label, stepInEpoch, stepsInEpoch) => {
      demoProgress.step(label, stepInEpoch, stepsInEpoch);
      bar.value = demoProgress.stepsDone / total;
      status(
        `${label}: step ${stepInEpoch}/${stepsInEpoch} of this epoch; ` +
          `${demoProgress.stepsDone}/${total} steps in all; ETA ${formatDuration(demoProgress.remainingMs())}`,
      );
    },
    line: (text) => demoProgress.line(text),
    stepLoss: (spec, step, loss) => {
      charts.addStep(spec, step, loss);
      // At most one redraw per frame.
      if (redraw === 0) {
        redraw = requestAnimationFrame(() => {
          redraw = 0;
          lossChart.innerHTML = charts.lossSvg();
        });
      }
    },
    epochEnd: (spec, epoch) => {
      charts.addEpoch(spec, epoch.epoch, epoch.testAccuracy);
      accuracyChart.innerHTML = charts.accuracySvg();
    },
  };

  const tensorsBefore = tf.memory().numTensors;
  const tensors = demoTensors(options.model, trainSplit, test);
  let outcome;
  try {
    outcome = await runExperiment(experiment.title.split(':')[0] as string, experimentSetup(tensors, experiment, {
      batchSize: options.batchSize,
      epochs: options.epochs,
      learningRate: LEARNING_RATE,
    }), progress);
  } finally {
    disposeDemoTensors(tensors);
  }
  const tensorsAfter = tf.memory().numTensors;
  cancelAnimationFrame(redraw);
  lossChart.innerHTML = charts.lossSvg();
  accuracyChart.innerHTML = charts.accuracySvg();
  element('results').innerHTML =
    `<h2>Experiment ${experiment.title}</h2><p>${experiment.intro}; backend ${backend}.</p>` +
    formatResultsHtml(outcome.results);
  element('histogram').innerHTML = renderHistogramSvg({
    title: "Activation gradients of the float32 run, against float16's range (cf. the paper's Figure 3)",
    panels: outcome.panels,
    caption: [
      'Bars: share of activation-gradient entries per unit bin of log2 |g|; grey bar: exact zeros.',
      'Red band: |g| <= 2^-25, which rounds to 0 in float16. Amber: float16 subnormals. Green: normal.',
    ],
  });
  const seconds = (performance.now() - started) / 1000;
  demoProgress.note(`done in ${formatDuration(seconds * 1000)}`);
  return {
    backend,
    options,
    results: outcome.results,
    chartPoints: charts.counts(),
    seconds,
    tensorsBefore,
    tensorsAfter,
  };
}

async function start(): Promise<void> {
  const options = parsePageOptions(location.search);
  fillForm({...options, backend: 'auto'});
  serveWasmFrom(`${location.origin}/tfjs-backend-wasm/`);
  status(`Trying the backends (${PAGE_BACKENDS.join(' > ')}) and loading MNIST…`);
  const [statuses, files] = await Promise.all([probeBackends(), fetchMnist('/mnist/')]);
  page.backends = statuses;
  fillBackends(statuses);
  element<HTMLSelectElement>('backend').value = options.backend;
  const available = statuses.filter((s) => s.available).map((s) => s.name);
  status(`Ready: backends available here: ${available.join(', ')}. Press Train.`);
  log(`tfjs ${tf.version.tfjs}; backends available: ${available.join(', ')}\n`);

  const run = async (chosen: PageOptions): Promise<void> => {
    setFormEnabled(false);
    setState('training');
    try {
      page.result = await train(chosen, files, statuses);
      status(`Done in ${formatDuration(page.result.seconds * 1000)} on ${page.result.backend}.`);
      setState('done');
    } catch (error) {
      fail(error);
    } finally {
      setFormEnabled(true);
    }
  };
  element<HTMLFormElement>('controls').addEventListener('submit', (event) => {
    event.preventDefault();
    let chosen: PageOptions;
    try {
      chosen = readForm();
    } catch (error) {
      status((error as Error).message, true);
      return;
    }
    history.replaceState(null, '', pageSearch({...chosen, autostart: false}) || location.pathname);
    void run(chosen);
  });
  setFormEnabled(true);
  setState('ready');
  if (options.autostart) {
    await run(options);
  }
}

function fail(error: unknown): void {
  const message = (error as Error)?.message ?? String(error);
  page.error = message;
  status(`Error: ${message}`, true);
  log(`error: ${(error as Error)?.stack ?? message}\n`);
  setState('error');
}

start().catch(fail);
