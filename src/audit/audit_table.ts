// The audit as a table: one row per layer, for a terminal or for Markdown.

import {HalfFormat} from './format_ranges';
import {LayerAudit, PrecisionAudit} from './precision_audit';
import {RangeStats} from './range_tally';
import {LossScaleRange} from './verdict';

interface Column {
  readonly title: string;
  readonly right?: boolean;
  readonly cell: (l: LayerAudit) => string;
}

const f16 = (s: RangeStats | null, pick: (f: RangeStats['formats'][HalfFormat]) => number): string =>
  s === null ? '-' : share(pick(s.formats.float16));

const COLUMNS: readonly Column[] = [
  {title: 'layer', cell: (l) => l.name},
  {title: 'outputs |x|', cell: (l) => range(l.outputs)},
  {title: 'f16 out Inf', right: true, cell: (l) => f16(l.outputs, (f) => f.overflow)},
  {title: 'f16 out ->0', right: true, cell: (l) => f16(l.outputs, (f) => f.flushed)},
  {title: 'f16 out rel.err', right: true, cell: (l) => (l.outputs === null ? '-' : relative(l.outputs.formats.float16.relativeError))},
  {title: 'act. grads |g|', cell: (l) => range(l.activationGrads)},
  {title: 'f16 act.g ->0', right: true, cell: (l) => f16(l.activationGrads, (f) => f.flushed)},
  {title: 'f16 act.g subn.', right: true, cell: (l) => f16(l.activationGrads, (f) => f.subnormal)},
  {title: 'f16 act.g Inf', right: true, cell: (l) => f16(l.activationGrads, (f) => f.overflow)},
  {title: 'f16 w.g ->0', right: true, cell: (l) => f16(l.weightGrads, (f) => f.flushed)},
  {title: 'f16 w.g Inf', right: true, cell: (l) => f16(l.weightGrads, (f) => f.overflow)},
  {title: 'float16', cell: (l) => l.verdicts.float16.verdict},
  {title: 'f16 loss scales', cell: (l) => scales(l.verdicts.float16.lossScale)},
  {title: 'bfloat16', cell: (l) => l.verdicts.bfloat16.verdict},
];

/**
 * The audit as a text table (aligned columns; `{markdown: true}` for a
 * Markdown table), followed by the summary lines.
 *
 * @example
 * console.log(mp.formatPrecisionAudit(mp.precisionAudit(model, xs, ys)));
 */
export function formatPrecisionAudit(audit: PrecisionAudit, options: {markdown?: boolean} = {}): string {
  const rows = audit.layers.map((l) => COLUMNS.map((c) => c.cell(l)));
  const titles = COLUMNS.map((c) => c.title);
  const lines: string[] = [];
  if (options.markdown === true) {
    const cells = (r: readonly string[]): string => `| ${r.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
    lines.push(cells(titles));
    lines.push(`| ${COLUMNS.map((c) => (c.right === true ? '---:' : '---')).join(' | ')} |`);
    for (const row of rows) {
      lines.push(cells(row));
    }
  } else {
    const widths = titles.map((t, i) => Math.max(t.length, ...rows.map((r) => (r[i] as string).length)));
    const pad = (cells: readonly string[]): string =>
      cells
        .map((c, i) => (COLUMNS[i]?.right === true ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number)))
        .join('  ')
        .trimEnd();
    lines.push(pad(titles));
    for (const row of rows) {
      lines.push(pad(row));
    }
  }
  lines.push('');
  for (const format of ['float16', 'bfloat16'] as const) {
    const s = audit.summary[format];
    lines.push(`${format}: ${s.verdict}; loss scales keeping every gradient in range: ${scales(s.lossScale)}`);
  }
  if (audit.loss !== null) {
    lines.push(`batch ${audit.batchSize}, float32 loss ${audit.loss.toPrecision(5)}`);
  } else {
    lines.push(`batch ${audit.batchSize}, no labels: outputs and weights only`);
  }
  return lines.join('\n');
}

function range(s: RangeStats | null): string {
  if (s === null) {
    return '-';
  }
  if (s.maxAbs === 0) {
    return s.nonFinite > 0 ? 'Inf/NaN' : 'all 0';
  }
  return `${sci(s.minAbs)}..${sci(s.maxAbs)}`;
}

function sci(v: number): string {
  return v.toExponential(1).replace('e+', 'e');
}

function share(f: number): string {
  if (f === 0) {
    return '0';
  }
  return f < 0.001 ? '<0.1%' : `${(f * 100).toFixed(1)}%`;
}

function relative(v: number): string {
  if (v === 0) {
    return '0';
  }
  return Number.isFinite(v) ? v.toExponential(1).replace('e+', 'e') : 'Inf';
}

/** 2^a..2^b, or 'none' for an empty range, '-' without gradients. */
export function scales(r: LossScaleRange | null): string {
  if (r === null) {
    return '-';
  }
  return r.minLog2 > r.maxLog2 ? 'none' : `2^${r.minLog2}..2^${r.maxLog2}`;
}
