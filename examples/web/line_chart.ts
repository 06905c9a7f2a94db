// The training page's live charts (loss per step, test accuracy per epoch),
// as SVG text: a few polylines on fixed axes, hand-written like the demo's
// histogram rather than pulling a charting library into the page.

import {escapeXml, line, niceCeiling, r, text} from '../demo/svg_elements';

/** One line of the chart. */
export interface Series {
  readonly name: string;
  readonly color: string;
  /** (x, y) points in x order; a non-finite y breaks the line there. */
  readonly points: ReadonlyArray<readonly [number, number]>;
  /** Draw a dot at every point (few points, e.g. one per epoch). */
  readonly markers?: boolean;
  /** An SVG stroke-dasharray, so that lines drawn on top of each other stay visible. */
  readonly dash?: string;
}

export interface LineChart {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  /** The x axis spans [xMin, xMax], fixed so the chart does not rescale while it fills. */
  readonly xMin: number;
  readonly xMax: number;
  /** Default 0. */
  readonly yMin?: number;
  /** Default: a round number above the largest finite y. */
  readonly yMax?: number;
  /** Tick labels on the y axis; default up to 3 significant digits. */
  readonly yFormat?: (value: number) => string;
  readonly width?: number;
  readonly height?: number;
}

const LEFT = 58;
const RIGHT = 16;
const TOP = 52;
const BOTTOM = 42;

/**
 * Renders `chart` as SVG text.
 *
 * @example
 * const svg = renderLineChart({
 *   title: 'Training loss', xLabel: 'step', yLabel: 'loss', xMin: 0, xMax: 16,
 *   series: [{name: 'float32', color: '#1f77b4', points: [[1, 2.3], [2, 2.1]]}],
 * });
 */
export function renderLineChart(chart: LineChart): string {
  if (!(chart.xMax > chart.xMin)) {
    throw new Error(`chart.xMax must be greater than chart.xMin; received xMin ${chart.xMin}, xMax ${chart.xMax}.`);
  }
  const width = chart.width ?? 480;
  const height = chart.height ?? 280;
  const yMin = chart.yMin ?? 0;
  const finite = chart.series.flatMap((s) => s.points.map((p) => p[1])).filter((y) => Number.isFinite(y));
  const largest = Math.max(yMin, ...finite);
  const yMax = chart.yMax ?? (largest > yMin ? yMin + niceCeiling(largest - yMin) : yMin + 1);
  const format = chart.yFormat ?? ((v: number) => Number(v.toPrecision(3)).toString());
  const plotRight = width - RIGHT;
  const plotBottom = height - BOTTOM;
  const x = (v: number): number => LEFT + ((v - chart.xMin) / (chart.xMax - chart.xMin)) * (plotRight - LEFT);
  const y = (v: number): number =>
    plotBottom - ((Math.min(Math.max(v, yMin), yMax) - yMin) / (yMax - yMin)) * (plotBottom - TOP);

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
      `viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" role="img" ` +
      `aria-label="${escapeXml(chart.title)}">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    text(LEFT, 20, chart.title, {size: 14, weight: 'bold'}),
  ];
  // Legend under the title.
  let lx = LEFT;
  for (const s of chart.series) {
    parts.push(line(lx, 36, lx + 22, 36, s.color, 2.5, s.dash));
    parts.push(text(lx + 26, 40, s.name, {size: 11}));
    lx += 36 + s.name.length * 5.6;
  }
  // Grid and axes.
  for (let i = 0; i <= 4; i++) {
    const v = yMin + ((yMax - yMin) * i) / 4;
    parts.push(line(LEFT, y(v), plotRight, y(v), '#dddddd', 0.6));
    parts.push(text(LEFT - 6, y(v) + 4, format(v), {size: 10, anchor: 'end'}));
  }
  parts.push(line(LEFT, plotBottom, plotRight, plotBottom, '#333333', 1));
  parts.push(line(LEFT, TOP, LEFT, plotBottom, '#333333', 1));
  for (const tick of xTicks(chart.xMin, chart.xMax)) {
    parts.push(line(x(tick), plotBottom, x(tick), plotBottom + 4, '#333333', 1));
    parts.push(text(x(tick), plotBottom + 16, String(tick), {size: 10, anchor: 'middle'}));
  }
  parts.push(text((LEFT + plotRight) / 2, height - 8, chart.xLabel, {size: 11, anchor: 'middle'}));
  parts.push(text(14, (TOP + plotBottom) / 2, chart.yLabel, {size: 11, anchor: 'middle', rotate: true}));

  // The series: one polyline per finite stretch, dots if asked.
  for (const s of chart.series) {
    for (const stretch of finiteStretches(s.points)) {
      if (stretch.length > 1) {
        const coords = stretch.map(([px, py]) => `${r(x(px))},${r(y(py))}`).join(' ');
        const dashes = s.dash === undefined ? '' : ` stroke-dasharray="${s.dash}"`;
        parts.push(
          `<polyline points="${coords}" fill="none" stroke="${s.color}" stroke-width="2.5" stroke-linejoin="round"${dashes}/>`,
        );
      }
      if (s.markers === true || stretch.length === 1) {
        for (const [px, py] of stretch) {
          parts.push(`<circle cx="${r(x(px))}" cy="${r(y(py))}" r="3.5" fill="${s.color}"/>`);
        }
      }
    }
  }
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

/** Integer ticks, at most about 8, on a 1-2-5 step. */
export function xTicks(min: number, max: number): number[] {
  const span = max - min;
  const step = Math.max(1, niceCeiling(span / 8));
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + 1e-9; t += step) {
    ticks.push(t);
  }
  return ticks;
}

function finiteStretches(points: ReadonlyArray<readonly [number, number]>): Array<Array<readonly [number, number]>> {
  const stretches: Array<Array<readonly [number, number]>> = [];
  let current: Array<readonly [number, number]> = [];
  for (const p of points) {
    if (Number.isFinite(p[0]) && Number.isFinite(p[1])) {
      current.push(p);
    } else if (current.length > 0) {
      stretches.push(current);
      current = [];
    }
  }
  if (current.length > 0) {
    stretches.push(current);
  }
  return stretches;
}
