// Draws the paper's Figure 3 as a stand-alone SVG: per panel, the share of
// activation-gradient entries per log2 |g| bin, a separate bar for exact
// zeros, and float16's ranges shaded (becomes zero / subnormal / normal /
// overflow). Hand-written: a histogram with four bands is a few rectangles,
// simpler than pulling a plotting library and a canvas into the repository.

import {FLOAT16_FLUSH_LIMIT, FLOAT16_MIN_NORMAL} from './float16_ranges';
import {GradientHistogram, MAX_EXPONENT, MIN_EXPONENT} from './gradient_histogram';
import {line, niceCeiling, rect, text} from './svg_elements';

export {escapeXml, niceCeiling} from './svg_elements';

/** One panel: a histogram and its title. */
export interface HistogramPanel {
  readonly title: string;
  readonly histogram: GradientHistogram;
}

export interface HistogramFigure {
  readonly title: string;
  readonly panels: readonly HistogramPanel[];
  /** Lines of explanation under the panels. */
  readonly caption?: readonly string[];
}

const WIDTH = 960;
const PANEL_HEIGHT = 300;
const LEFT = 78;
const RIGHT = 24;
const PANEL_TOP = 58;
const PANEL_BOTTOM = 48;
const ZERO_SLOT = 34;
const GAP = 16;
const TITLE_HEIGHT = 62;
const CAPTION_LINE = 18;

const BAND_ZERO = {fill: '#f6d5d5', bar: '#c0392b', label: 'becomes 0 in float16'};
const BAND_SUBNORMAL = {fill: '#fbeccb', bar: '#d68910', label: 'float16 subnormal'};
const BAND_NORMAL = {fill: '#d9efdc', bar: '#1e8449', label: 'float16 normal'};
const BAND_OVERFLOW = {fill: '#e5e5e5', bar: '#555555', label: 'overflows to Inf'};
const ZERO_BAR = '#7f8c8d';

const FLUSH_EXPONENT = Math.log2(FLOAT16_FLUSH_LIMIT); // -25
const NORMAL_EXPONENT = Math.log2(FLOAT16_MIN_NORMAL); // -14
const OVERFLOW_EXPONENT = 16; // 65520 lies within bin 15; bin 16 and up overflow entirely.

/**
 * Renders `figure` as SVG text.
 *
 * @example
 * const svg = renderHistogramSvg({
 *   title: 'Activation gradients',
 *   panels: [{title: 'before scaling', histogram: h}],
 * });
 * fs.writeFileSync('out/gradient-histogram.svg', svg);
 */
export function renderHistogramSvg(figure: HistogramFigure): string {
  if (figure.panels.length === 0) {
    throw new Error('figure.panels must hold at least one panel; received none.');
  }
  const caption = figure.caption ?? [];
  const height =
    TITLE_HEIGHT + 10 + figure.panels.length * PANEL_HEIGHT + caption.length * CAPTION_LINE + 16;
  const yMax = niceCeiling(
    Math.max(...figure.panels.map((p) => maxShare(p.histogram))) * 100,
  );
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" ` +
      `viewBox="0 0 ${WIDTH} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect width="${WIDTH}" height="${height}" fill="white"/>`,
    text(WIDTH / 2, 26, figure.title, {size: 18, anchor: 'middle', weight: 'bold'}),
  ];
  parts.push(renderLegend(TITLE_HEIGHT - 10));
  figure.panels.forEach((panel, i) => {
    parts.push(renderPanel(panel, TITLE_HEIGHT + 10 + i * PANEL_HEIGHT, yMax));
  });
  caption.forEach((line, i) => {
    parts.push(
      text(LEFT, TITLE_HEIGHT + 18 + figure.panels.length * PANEL_HEIGHT + i * CAPTION_LINE, line, {
        size: 12,
      }),
    );
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

function renderPanel(panel: HistogramPanel, top: number, yMaxPercent: number): string {
  const h = panel.histogram;
  const plotTop = top + PANEL_TOP;
  const plotBottom = top + PANEL_HEIGHT - PANEL_BOTTOM;
  const axisLeft = LEFT + ZERO_SLOT + GAP;
  const axisRight = WIDTH - RIGHT;
  const lo = MIN_EXPONENT;
  const hi = MAX_EXPONENT + 1;
  const x = (e: number): number => axisLeft + ((e - lo) / (hi - lo)) * (axisRight - axisLeft);
  const y = (percent: number): number =>
    plotBottom - (Math.min(percent, yMaxPercent) / yMaxPercent) * (plotBottom - plotTop);
  const out: string[] = [`<g>`];

  // float16 ranges as background bands.
  const bands: Array<[number, number, typeof BAND_ZERO]> = [
    [lo, FLUSH_EXPONENT, BAND_ZERO],
    [FLUSH_EXPONENT, NORMAL_EXPONENT, BAND_SUBNORMAL],
    [NORMAL_EXPONENT, OVERFLOW_EXPONENT, BAND_NORMAL],
    [OVERFLOW_EXPONENT, hi, BAND_OVERFLOW],
  ];
  for (const [from, to, band] of bands) {
    out.push(rect(x(from), plotTop, x(to) - x(from), plotBottom - plotTop, band.fill));
  }

  // Title and the share of entries in each range.
  out.push(text(LEFT, top + 20, panel.title, {size: 15, weight: 'bold'}));
  const shares =
    `exactly 0: ${pct(h.fraction('zero'))}  ·  ` +
    `becomes 0 in float16: ${pct(h.fraction('flushed'))}  ·  ` +
    `subnormal: ${pct(h.fraction('subnormal'))}  ·  ` +
    `normal: ${pct(h.fraction('normal'))}  ·  ` +
    `overflow: ${pct(h.fraction('overflow'))}  ·  ` +
    `${h.total.toLocaleString('en-US')} entries`;
  out.push(text(LEFT, top + 40, shares, {size: 12}));

  // y axis with gridlines.
  for (const tick of yTicks(yMaxPercent)) {
    const ty = y(tick);
    out.push(line(LEFT, ty, axisRight, ty, '#cccccc', 0.6));
    out.push(text(LEFT - 6, ty + 4, `${formatTick(tick)}%`, {size: 11, anchor: 'end'}));
  }
  out.push(
    text(18, (plotTop + plotBottom) / 2, '% of entries', {
      size: 12,
      anchor: 'middle',
      rotate: true,
    }),
  );

  // The separate bar for exact zeros, as in the paper.
  const zeroPercent = h.fraction('zero') * 100;
  out.push(rect(LEFT + 4, y(zeroPercent), ZERO_SLOT - 8, plotBottom - y(zeroPercent), ZERO_BAR));
  if (zeroPercent > yMaxPercent) {
    out.push(text(LEFT + ZERO_SLOT / 2, plotTop - 3, `${zeroPercent.toFixed(0)}%`, {size: 10, anchor: 'middle'}));
  }
  out.push(text(LEFT + ZERO_SLOT / 2, plotBottom + 16, '0', {size: 11, anchor: 'middle'}));

  // Bars per log2 bin.
  const total = Math.max(1, h.total);
  for (const {exponent, count} of h.bins) {
    if (count === 0) {
      continue;
    }
    const band =
      exponent < FLUSH_EXPONENT
        ? BAND_ZERO
        : exponent < NORMAL_EXPONENT
          ? BAND_SUBNORMAL
          : exponent < OVERFLOW_EXPONENT
            ? BAND_NORMAL
            : BAND_OVERFLOW;
    const percent = (count / total) * 100;
    const left = x(exponent) + 1;
    out.push(rect(left, y(percent), x(exponent + 1) - left - 1, plotBottom - y(percent), band.bar));
  }

  // x axis: every 4th exponent labelled, the range limits always.
  out.push(line(LEFT, plotBottom, axisRight, plotBottom, '#333333', 1));
  for (let e = lo; e <= hi; e++) {
    const major = e % 4 === 0;
    out.push(line(x(e), plotBottom, x(e), plotBottom + (major ? 5 : 2), '#333333', 1));
    if (major) {
      const label = e === lo ? `≤${e}` : String(e);
      out.push(text(x(e), plotBottom + 16, label, {size: 11, anchor: 'middle'}));
    }
  }
  for (const [e, label] of [
    [FLUSH_EXPONENT, '2⁻²⁵'],
    [NORMAL_EXPONENT, '2⁻¹⁴'],
  ] as const) {
    out.push(line(x(e), plotTop, x(e), plotBottom, '#666666', 1, '4 3'));
    out.push(text(x(e) + 3, plotTop + 12, label, {size: 10, fill: '#444444'}));
  }
  out.push(
    text((axisLeft + axisRight) / 2, plotBottom + 34, 'log2 |activation gradient|', {
      size: 12,
      anchor: 'middle',
    }),
  );

  out.push('</g>');
  return out.join('\n');
}

// The y axis fits the log2 bins; the zero bar, often much taller (ReLU and
// max-pooling zeros), is clipped and labelled with its value.
function maxShare(h: GradientHistogram): number {
  const total = Math.max(1, h.total);
  return Math.max(...h.bins.map((b) => b.count / total), 0.001);
}

function renderLegend(y: number): string {
  const out: string[] = [];
  let lx = LEFT + ZERO_SLOT + GAP;
  for (const [color, label] of [
    [ZERO_BAR, 'exactly 0 (separate bar)'],
    [BAND_ZERO.bar, BAND_ZERO.label],
    [BAND_SUBNORMAL.bar, BAND_SUBNORMAL.label],
    [BAND_NORMAL.bar, BAND_NORMAL.label],
    [BAND_OVERFLOW.bar, BAND_OVERFLOW.label],
  ] as const) {
    out.push(rect(lx, y - 10, 12, 12, color));
    out.push(text(lx + 16, y, label, {size: 12}));
    lx += 170;
  }
  return out.join('\n');
}

function yTicks(max: number): number[] {
  return [0, 0.25, 0.5, 0.75, 1].map((f) => f * max);
}

function formatTick(v: number): string {
  return Number(v.toPrecision(3)).toString();
}

function pct(f: number): string {
  if (f > 0 && f < 0.001) {
    return '<0.1%';
  }
  return `${(f * 100).toFixed(1)}%`;
}
