// The demo's closing table: one row per run, as aligned text for the console
// and as Markdown/HTML for the report.

/** What one training run measured. */
export interface RunResult {
  /** Short name, e.g. '1 float32'. */
  readonly name: string;
  readonly policy: string;
  /** e.g. 'adam' or 'LossScale(adam)'. */
  readonly optimizer: string;
  /** Test-set accuracy in [0, 1]. */
  readonly testAccuracy: number;
  /** Mean training loss over the last epoch (unscaled). */
  readonly finalLoss: number;
  /** Median milliseconds per training step. */
  readonly msPerStep: number;
  /**
   * Share of activation-gradient entries that are exactly zero, as this run
   * computes them (float16 values for mixed runs, of the scaled loss with loss
   * scaling), averaged over the sample points.
   */
  readonly gradientZeroFraction: number;
  /**
   * Share of the activation-gradient entries that are non-zero in float32 (at
   * this run's weights) but zero in this run's float16 arithmetic: the
   * underflow itself. null for a float32 run.
   */
  readonly underflowFraction: number | null;
  readonly skippedSteps: number;
  /** The final loss scale; null without loss scaling. */
  readonly finalLossScale: number | null;
}

const HEADERS = [
  'run',
  'policy',
  'optimizer',
  'test acc',
  'final loss',
  'ms/step',
  'act. grads = 0',
  'underflow',
  'skipped',
  'loss scale',
] as const;

/** The cells of `result` in HEADERS order, formatted. */
export function resultCells(result: RunResult): string[] {
  return [
    result.name,
    result.policy,
    result.optimizer,
    `${(result.testAccuracy * 100).toFixed(2)}%`,
    Number.isFinite(result.finalLoss) ? result.finalLoss.toFixed(4) : String(result.finalLoss),
    result.msPerStep.toFixed(0),
    `${(result.gradientZeroFraction * 100).toFixed(1)}%`,
    result.underflowFraction === null ? '-' : `${(result.underflowFraction * 100).toFixed(1)}%`,
    String(result.skippedSteps),
    result.finalLossScale === null ? '-' : formatScale(result.finalLossScale),
  ];
}

/** A loss scale as `2^15 (32768)` when a power of two, else the number. */
export function formatScale(scale: number): string {
  const exponent = Math.log2(scale);
  return Number.isInteger(exponent) ? `2^${exponent}` : String(scale);
}

/**
 * An aligned text table: text columns left-aligned, numbers right-aligned.
 *
 * @example
 * console.log(formatResultsTable(results));
 */
export function formatResultsTable(results: readonly RunResult[]): string {
  const rows = [HEADERS.slice(), ...results.map(resultCells)];
  const widths = HEADERS.map((_, c) => Math.max(...rows.map((row) => (row[c] as string).length)));
  const numeric = (c: number): boolean => c >= 3;
  const render = (row: readonly string[]): string =>
    row
      .map((cell, c) =>
        numeric(c) ? cell.padStart(widths[c] as number) : cell.padEnd(widths[c] as number),
      )
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [render(rows[0] as string[]), rule, ...rows.slice(1).map(render)].join('\n');
}

/** The same table in GitHub Markdown. */
export function formatResultsMarkdown(results: readonly RunResult[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  const align = HEADERS.map((_, c) => (c >= 3 ? '---:' : '---'));
  return [line(HEADERS), line(align), ...results.map((r) => line(resultCells(r)))].join('\n');
}

/** The same table as an HTML <table> (cells escaped). */
export function formatResultsHtml(results: readonly RunResult[]): string {
  const esc = (s: string): string =>
    s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const head = `<tr>${HEADERS.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`;
  const body = results
    .map((r) => `<tr>${resultCells(r).map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table>\n${head}\n${body}\n</table>`;
}
