// Writes the demo's report: the Figure-3 histogram as an SVG a user can open,
// and an HTML page with the setup, the results tables and the figure.

import * as fs from 'fs';
import * as path from 'path';

import {HistogramFigure, escapeXml, renderHistogramSvg} from './histogram_svg';
import {RunResult, formatResultsHtml, formatResultsMarkdown} from './results_table';

/** One experiment's part of the report. */
export interface ExperimentReport {
  readonly title: string;
  /** Plain-text paragraphs: setup and what the numbers say. */
  readonly paragraphs: readonly string[];
  readonly results: readonly RunResult[];
}

export interface Report {
  readonly title: string;
  /** Lines describing the setup (backend, data, model, sizes). */
  readonly setup: readonly string[];
  readonly experiments: readonly ExperimentReport[];
  readonly figure: HistogramFigure;
}

/** Paths of the written files. */
export interface WrittenReport {
  readonly svg: string;
  readonly html: string;
  /** The results tables in Markdown, ready for a README. */
  readonly markdown: string;
}

/**
 * Writes `gradient-histogram.svg`, `report.html` and `results.md` into
 * `outDir` (created if missing).
 *
 * @example
 * const {html} = writeReport('out', report);
 * console.log(`report: ${html}`);
 */
export function writeReport(outDir: string, report: Report): WrittenReport {
  fs.mkdirSync(outDir, {recursive: true});
  const svg = renderHistogramSvg(report.figure);
  const svgPath = path.resolve(outDir, 'gradient-histogram.svg');
  const htmlPath = path.resolve(outDir, 'report.html');
  const markdownPath = path.resolve(outDir, 'results.md');
  fs.writeFileSync(svgPath, svg);
  fs.writeFileSync(htmlPath, renderHtml(report, svg));
  fs.writeFileSync(markdownPath, renderMarkdown(report));
  return {svg: svgPath, html: htmlPath, markdown: markdownPath};
}

/** The report as Markdown (what results.md holds). */
export function renderMarkdown(report: Report): string {
  const setup = report.setup.map((s) => `- ${s}`).join('\n');
  const experiments = report.experiments
    .map((e) => `### ${e.title}\n\n${e.paragraphs.join('\n\n')}\n\n${formatResultsMarkdown(e.results)}`)
    .join('\n\n');
  return `## ${report.title}\n\n${setup}\n\n${experiments}\n`;
}

function renderHtml(report: Report, svg: string): string {
  const experiments = report.experiments
    .map(
      (e) =>
        `<h2>${escapeXml(e.title)}</h2>\n` +
        e.paragraphs.map((p) => `<p>${escapeXml(p)}</p>`).join('\n') +
        `\n${formatResultsHtml(e.results)}`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(report.title)}</title>
<style>
body { font-family: Helvetica, Arial, sans-serif; max-width: 1000px; margin: 2em auto; color: #111; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: right; }
th:nth-child(-n+3), td:nth-child(-n+3) { text-align: left; }
ul { line-height: 1.5; }
</style></head><body>
<h1>${escapeXml(report.title)}</h1>
<ul>
${report.setup.map((s) => `<li>${escapeXml(s)}</li>`).join('\n')}
</ul>
${experiments}
<h2>Activation gradients and float16's range (the paper's Figure 3)</h2>
${svg}
</body></html>
`;
}
