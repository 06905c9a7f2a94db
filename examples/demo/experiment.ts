// One experiment = the demo's three runs on identical data, initial weights
// and batches: float32; mixed_float16 with a plain optimizer; mixed_float16
// with a dynamic LossScaleOptimizer.

import {GradientHistogram} from './gradient_histogram';
import {HistogramPanel} from './histogram_svg';
import {RunResult, formatScale} from './results_table';
import {RunOutcome, RunProgress, RunSpec, SharedSetup, trainRun} from './train_run';

/** The three runs, in order. */
export const RUNS: readonly RunSpec[] = [
  {name: '1', policy: 'float32', lossScaling: false},
  {name: '2', policy: 'mixed_float16', lossScaling: false},
  {name: '3', policy: 'mixed_float16', lossScaling: true},
];

export interface ExperimentOutcome {
  readonly results: readonly RunResult[];
  /** Figure 3 panels: run 1's activation gradients, before and after run 3's final loss scale. */
  readonly panels: readonly HistogramPanel[];
  /** The final weights of runs 1..3, to compare experiments (see sameWeights). */
  readonly finalWeights: readonly Float32Array[][];
}

/**
 * Runs the three runs of one experiment and prepares its figure panels.
 *
 * @example
 * const {results} = await runExperiment('A', setup, progress);
 */
export async function runExperiment(
  title: string,
  setup: SharedSetup,
  progress: RunProgress,
): Promise<ExperimentOutcome> {
  const outcomes: RunOutcome[] = [];
  for (const spec of RUNS) {
    outcomes.push(await trainRun(spec, setup, progress));
  }
  const [float32, , scaled] = outcomes as [RunOutcome, RunOutcome, RunOutcome];
  const scale = scaled.result.finalLossScale ?? 1;
  const before = new GradientHistogram();
  const after = new GradientHistogram();
  for (const sample of float32.samples) {
    before.add(sample);
    // A power-of-two scale multiplies float32 values exactly: this is what
    // differentiating the scaled loss gives.
    after.add(sample.map((g) => g * scale));
  }
  const panels: HistogramPanel[] = [
    {title: `${title}: before loss scaling (float32 run 1)`, histogram: before},
    {title: `${title}: after loss scaling by ${formatScale(scale)} (run 3's final scale)`, histogram: after},
  ];
  return {
    results: outcomes.map((o) => o.result),
    panels,
    finalWeights: outcomes.map((o) => o.finalWeights),
  };
}

/** True when two weight lists are bit-identical. */
export function sameWeights(a: readonly Float32Array[], b: readonly Float32Array[]): boolean {
  if (a.length !== b.length) {
    return false;
  }
  return a.every((w, i) => {
    const v = b[i] as Float32Array;
    if (w.length !== v.length) {
      return false;
    }
    const wb = new Uint32Array(w.buffer, w.byteOffset, w.length);
    const vb = new Uint32Array(v.buffer, v.byteOffset, v.length);
    return wb.every((bits, j) => bits === vb[j]);
  });
}
