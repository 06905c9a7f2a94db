// The audit's picture: per layer, the histogram of log2|x| of its outputs
// (bars up) and of its activation gradients (bars down) on one axis, over
// float16's ranges (shaded) with bfloat16's limits marked. The demo's
// Figure-3 drawing, generalised to every layer and both formats.

import {HALF_FORMAT_RANGES} from './format_ranges';
import {LayerAudit, PrecisionAudit} from './precision_audit';
import {RangeStats} from './range_tally';

const WIDTH = 960;
const LEFT = 220;
const RIGHT = 20;
const ROW = 96;
const HALF_BAR = 34;
const TOP = 86;
const BOTTOM = 44;

const BANDS = [
  {fill: '#f6d5d5', label: 'becomes 0 in float16'},
  {fill: '#fbeccb', label: 'float16 subnormal'},
  {fill: '#d9efdc', label: 'float16 normal'},
  {fill: '#e5e5e5', label: 'Inf in float16'},
] as const;
const OUTPUT_BAR = '#2e6fb5';
const GRAD_BAR = '#8e44ad';

const FLUSH_EXP = Math.log2(HALF_FORMAT_RANGES.float16.minSubnormal) - 1; // -25
const NORMAL_EXP = Math.log2(HALF_FORMAT_RANGES.float16.minNormal); // -14
const OVERFLOW_EXP = 16; // 65520 lies in bin 15; from 2^16 all overflow
const BF16_LIMITS: ReadonlyArray<readonly [number, string]> = [
  [Math.log2(HALF_FORMAT_RANGES.bfloat16.minSubnormal) - 1, 'bfloat16 → 0'],
  [Math.log2(HALF_FORMAT_RANGES.bfloat16.minNormal), 'bfloat16 normal'],
  [128, 'bfloat16 Inf'],
];

/**
 * The audit as a stand-alone SVG.
 *
 * @example
 * fs.writeFileSync('audit.svg', mp.precisionAuditSvg(audit, 'My model'));
 */
export function precisionAuditSvg(audit: PrecisionAudit, title = 'Precision audit'): string {
  const layers = audit.layers.filter((l) => l.outputs !== null);
  const [lo, hi] = axisRange(layers);
  const height = TOP + layers.length * ROW + BOTTOM;
  const x = (e: number): number => LEFT + ((e - lo) / (hi - lo)) * (WIDTH - LEFT - RIGHT);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect width="${WIDTH}" height="${height}" fill="white"/>`,
    text(WIDTH / 2, 24, title, 17, 'middle', 'bold'),
  ];
  // Legend.
  let lx = 20;
  for (const [fill, label] of [
    ...BANDS.map((b) => [b.fill, b.label] as const),
    [OUTPUT_BAR, 'outputs (up)'],
    [GRAD_BAR, 'activation gradients (down)'],
  ] as const) {
    out.push(rect(lx, 40, 12, 12, fill));
    out.push(text(lx + 16, 50, label, 12));
    lx += label.length * 6.4 + 36;
  }
  const bf16Inside = BF16_LIMITS.some(([e]) => e > lo && e < hi);
  const bf16Note = bf16Inside ? "dashed: bfloat16's limits" : "bfloat16's normal range (2^-126 to 2^128) covers the whole axis";
  out.push(text(20, 72, `bars: per layer, entries per unit bin of log2|x|, scaled to the tallest bin (exact zeros not drawn); ${bf16Note}`, 11));
  const bands: Array<[number, number, string]> = [
    [lo, FLUSH_EXP, BANDS[0].fill],
    [FLUSH_EXP, NORMAL_EXP, BANDS[1].fill],
    [NORMAL_EXP, OVERFLOW_EXP, BANDS[2].fill],
    [OVERFLOW_EXP, hi, BANDS[3].fill],
  ];
  layers.forEach((layer, i) => {
    const top = TOP + i * ROW;
    const mid = top + ROW / 2;
    for (const [from, to, fill] of bands) {
      const a = Math.max(from, lo);
      const b = Math.min(to, hi);
      if (b > a) out.push(rect(x(a), mid - HALF_BAR, x(b) - x(a), 2 * HALF_BAR, fill));
    }
    for (const [e, label] of BF16_LIMITS) {
      if (e > lo && e < hi) {
        out.push(line(x(e), mid - HALF_BAR, x(e), mid + HALF_BAR, '#555555', '4 3'));
        if (i === 0) out.push(text(x(e) + 2, mid - HALF_BAR - 3, label, 10));
      }
    }
    bars(out, layer.outputs, x, mid, -1, OUTPUT_BAR);
    bars(out, layer.activationGrads, x, mid, 1, GRAD_BAR);
    out.push(line(x(lo), mid, x(hi), mid, '#333333'));
    out.push(text(LEFT - 10, mid - 4, layer.name, 12, 'end', 'bold'));
    out.push(text(LEFT - 10, mid + 11, `f16: ${layer.verdicts.float16.verdict}`, 11, 'end'));
    out.push(text(LEFT - 10, mid + 25, `bf16: ${layer.verdicts.bfloat16.verdict}`, 11, 'end'));
  });
  const axisY = TOP + layers.length * ROW + 4;
  for (let e = Math.ceil(lo / 4) * 4; e <= hi; e += 4) {
    out.push(line(x(e), axisY, x(e), axisY + 5, '#333333'));
    out.push(text(x(e), axisY + 18, String(e), 11, 'middle'));
  }
  out.push(text((LEFT + WIDTH - RIGHT) / 2, axisY + 36, 'log2 |x|', 12, 'middle'));
  out.push('</svg>');
  return out.join('\n') + '\n';
}

/**
 * An HTML page with the audit's table and picture.
 *
 * @example
 * fs.writeFileSync('audit.html', mp.precisionAuditHtml(audit, table, 'My model'));
 */
export function precisionAuditHtml(audit: PrecisionAudit, table: string, title = 'Precision audit'): string {
  return [
    '<!doctype html>',
    '<html><head><meta charset="utf-8">',
    `<title>${escapeXml(title)}</title>`,
    '<style>body{font-family:Helvetica,Arial,sans-serif;margin:2em}pre{font-size:12px}</style>',
    '</head><body>',
    `<h1>${escapeXml(title)}</h1>`,
    `<pre>${escapeXml(table)}</pre>`,
    precisionAuditSvg(audit, title),
    '</body></html>',
    '',
  ].join('\n');
}

function axisRange(layers: readonly LayerAudit[]): [number, number] {
  let lo = -32;
  let hi = 20;
  for (const l of layers) {
    for (const s of [l.outputs, l.activationGrads]) {
      const h = s?.log2Histogram ?? [];
      if (h.length > 0) {
        lo = Math.min(lo, (h[0] as readonly [number, number])[0]);
        hi = Math.max(hi, (h[h.length - 1] as readonly [number, number])[0] + 1);
      }
    }
  }
  return [Math.max(-150, Math.floor(lo / 4) * 4), Math.min(132, Math.ceil(hi / 4) * 4)];
}

function bars(out: string[], s: RangeStats | null, x: (e: number) => number, mid: number, direction: number, fill: string): void {
  if (s === null || s.count === 0) {
    return;
  }
  const peak = Math.max(...s.log2Histogram.map(([, c]) => c), 1);
  for (const [e, count] of s.log2Histogram) {
    const h = (count / peak) * (HALF_BAR - 2);
    const left = x(e) + 0.5;
    const w = Math.max(1, x(e + 1) - x(e) - 1);
    out.push(rect(left, direction < 0 ? mid - h : mid, w, h, fill));
  }
}

function rect(x: number, y: number, w: number, h: number, fill: string): string {
  return `<rect x="${r(x)}" y="${r(y)}" width="${r(Math.max(0, w))}" height="${r(Math.max(0, h))}" fill="${fill}"/>`;
}

function line(x1: number, y1: number, x2: number, y2: number, stroke: string, dash?: string): string {
  const d = dash === undefined ? '' : ` stroke-dasharray="${dash}"`;
  return `<line x1="${r(x1)}" y1="${r(y1)}" x2="${r(x2)}" y2="${r(y2)}" stroke="${stroke}" stroke-width="1"${d}/>`;
}

function text(x: number, y: number, s: string, size: number, anchor?: 'middle' | 'end', weight?: 'bold'): string {
  const a = anchor === undefined ? '' : ` text-anchor="${anchor}"`;
  const w = weight === undefined ? '' : ` font-weight="${weight}"`;
  return `<text x="${r(x)}" y="${r(y)}" font-size="${size}"${a}${w} fill="#111111">${escapeXml(s)}</text>`;
}

/** Escapes the five XML special characters. */
export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function r(v: number): string {
  return (Math.round(v * 10) / 10).toString();
}
