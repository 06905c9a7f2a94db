// Progress while the demo trains: a live bar on a terminal, and one line per
// epoch (always, so logs and CI show it too), with an ETA for the whole demo.

/**
 * Formats milliseconds as `1h02m`, `3m05s`, `12.3s` or `850ms`.
 *
 * @example
 * formatDuration(185000); // '3m05s'
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) {
    return '?';
  }
  if (ms < 1000) {
    return `${Math.round(ms)}ms`;
  }
  const seconds = ms / 1000;
  if (seconds < 60) {
    return `${seconds.toFixed(1)}s`;
  }
  const whole = Math.round(seconds);
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) {
    return `${minutes}m${String(whole % 60).padStart(2, '0')}s`;
  }
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

/**
 * Time left, assuming the remaining work goes at the average pace so far.
 * NaN before any work is done.
 *
 * @example
 * estimateRemaining(10000, 25, 100); // 30000
 */
export function estimateRemaining(elapsedMs: number, done: number, total: number): number {
  if (done <= 0) {
    return NaN;
  }
  return (elapsedMs / done) * Math.max(0, total - done);
}

/**
 * A text bar such as `[=======>            ]`.
 *
 * @example
 * progressBar(0.5, 10); // '[====>     ]'
 */
export function progressBar(fraction: number, width: number): string {
  const clamped = Math.min(1, Math.max(0, fraction));
  const filled = Math.round(clamped * width);
  const body =
    filled >= width ? '='.repeat(width) : '='.repeat(Math.max(0, filled - 1)) + (filled > 0 ? '>' : '');
  return `[${body.padEnd(width, ' ')}]`;
}

/** Where progress goes; a subset of `process.stdout`. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/**
 * Tracks the demo's total work (in training steps) and prints progress.
 *
 * @example
 * const progress = new DemoProgress(300);
 * progress.step('float32', 1, 50);          // redraws the bar on a terminal
 * progress.line('  epoch 1/3  loss 0.31');  // printed with the ETA appended
 */
export class DemoProgress {
  private done = 0;
  private readonly start: number;
  private barShown = false;
  private lastDraw = 0;

  constructor(
    private readonly totalSteps: number,
    private readonly stream: ProgressStream = process.stdout,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.start = now();
  }

  /** Steps finished over the whole demo. */
  get stepsDone(): number {
    return this.done;
  }

  /** Milliseconds left for the whole demo at the pace so far. */
  remainingMs(): number {
    return estimateRemaining(this.now() - this.start, this.done, this.totalSteps);
  }

  /** Records one finished step of run `label`; redraws the bar on a terminal. */
  step(label: string, stepInEpoch: number, stepsInEpoch: number): void {
    this.done++;
    if (this.stream.isTTY !== true) {
      return;
    }
    const t = this.now();
    if (t - this.lastDraw < 100 && stepInEpoch < stepsInEpoch) {
      return;
    }
    this.lastDraw = t;
    const bar = progressBar(stepInEpoch / stepsInEpoch, 24);
    this.stream.write(
      `\r  ${label} ${bar} ${stepInEpoch}/${stepsInEpoch}  ETA ${formatDuration(this.remainingMs())}   `,
    );
    this.barShown = true;
  }

  /** Prints a line (clearing the bar first), with the demo's ETA appended. */
  line(text: string): void {
    this.clearBar();
    this.stream.write(`${text}  ETA ${formatDuration(this.remainingMs())}\n`);
  }

  /** Prints a line without an ETA. */
  note(text: string): void {
    this.clearBar();
    this.stream.write(`${text}\n`);
  }

  private clearBar(): void {
    if (this.barShown) {
      this.stream.write('\r\x1b[2K');
      this.barShown = false;
    }
  }
}
