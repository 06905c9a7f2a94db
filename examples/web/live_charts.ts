// What the page draws while the three runs train: training loss per step and
// test accuracy per epoch, one line per run, on axes fixed from the start.

import {RUNS} from '../demo/experiment';
import {RunSpec} from '../demo/train_run';
import {renderLineChart} from './line_chart';

/**
 * One colour, dash and legend per run, in RUNS order. Runs often coincide
 * (float32 and loss scaling, early on): the dashes keep every line visible.
 */
export const RUN_STYLES: ReadonlyArray<{readonly color: string; readonly dash?: string; readonly label: string}> = [
  {color: '#1f77b4', label: '1 float32'},
  {color: '#d62728', dash: '7 4', label: '2 mixed_float16'},
  {color: '#2ca02c', dash: '2 3', label: '3 mixed_float16 + loss scaling'},
];

/**
 * The points so far of every run.
 *
 * @example
 * const charts = new LiveCharts(16, 2);
 * charts.addStep(RUNS[0], 1, 2.31);
 * element.innerHTML = charts.lossSvg();
 */
export class LiveCharts {
  private readonly losses = RUNS.map((): Array<[number, number]> => []);
  private readonly accuracies = RUNS.map((): Array<[number, number]> => []);

  constructor(
    private readonly stepsPerRun: number,
    private readonly epochs: number,
  ) {}

  /** Records step `step` (1-based, within the run) of `run`. */
  addStep(run: RunSpec, step: number, loss: number): void {
    this.series(this.losses, run).push([step, loss]);
  }

  /** Records the test accuracy (in [0, 1]) after epoch `epoch` (1-based). */
  addEpoch(run: RunSpec, epoch: number, accuracy: number): void {
    this.series(this.accuracies, run).push([epoch, accuracy * 100]);
  }

  /** Points recorded per run: [loss points, accuracy points]. */
  counts(): Array<[number, number]> {
    return RUNS.map((_, i) => [(this.losses[i] as unknown[]).length, (this.accuracies[i] as unknown[]).length]);
  }

  lossSvg(): string {
    return renderLineChart({
      title: 'Training loss per step',
      xLabel: 'step',
      yLabel: 'cross-entropy',
      xMin: 0,
      xMax: Math.max(1, this.stepsPerRun),
      series: RUNS.map((_, i) => ({...style(i), points: this.losses[i] as Array<[number, number]>})),
    });
  }

  accuracySvg(): string {
    return renderLineChart({
      title: 'Test accuracy after each epoch',
      xLabel: 'epoch',
      yLabel: 'accuracy (%)',
      xMin: 0,
      xMax: Math.max(1, this.epochs),
      yMin: 0,
      yMax: 100,
      yFormat: (v) => `${v}%`,
      series: RUNS.map((_, i) => ({...style(i), points: this.accuracies[i] as Array<[number, number]>, markers: true})),
    });
  }

  private series(all: Array<Array<[number, number]>>, run: RunSpec): Array<[number, number]> {
    const index = RUNS.findIndex((r) => r.name === run.name);
    if (index < 0) {
      throw new Error(`run must be one of the demo's runs (${RUNS.map((r) => r.name).join(', ')}); received '${run.name}'.`);
    }
    return all[index] as Array<[number, number]>;
  }
}

function style(run: number): {name: string; color: string; dash?: string} {
  const {label, color, dash} = RUN_STYLES[run] as (typeof RUN_STYLES)[number];
  return dash === undefined ? {name: label, color} : {name: label, color, dash};
}
