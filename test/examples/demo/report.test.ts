import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import {GradientHistogram} from '../../../examples/demo/gradient_histogram';
import {writeReport} from '../../../examples/demo/report';
import {RunResult} from '../../../examples/demo/results_table';

const row: RunResult = {
  name: '2',
  policy: 'mixed_float16',
  optimizer: 'adam',
  testAccuracy: 0.9,
  finalLoss: 0.3,
  msPerStep: 40,
  gradientZeroFraction: 0.5,
  underflowFraction: 0.25,
  skippedSteps: 0,
  finalLossScale: null,
};

describe('writeReport', () => {
  it('writes the SVG, an HTML page embedding it with the tables, and the tables in Markdown', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'report-')), 'nested', 'dir');
    const written = writeReport(out, {
      title: 'Demo <report>',
      setup: ['backend: cpu'],
      experiments: [{title: 'Experiment A', paragraphs: ['it ran & finished'], results: [row]}],
      figure: {title: 'fig', panels: [{title: 'panel', histogram: new GradientHistogram().add([1e-9, 0.1])}]},
    });
    expect(written).toEqual({
      svg: path.join(out, 'gradient-histogram.svg'),
      html: path.join(out, 'report.html'),
      markdown: path.join(out, 'results.md'),
    });
    const svg = fs.readFileSync(written.svg, 'utf8');
    const html = fs.readFileSync(written.html, 'utf8');
    const markdown = fs.readFileSync(written.markdown, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(html).toContain(svg.trim());
    expect(html).toContain('<title>Demo &lt;report&gt;</title>');
    expect(html).toContain('<p>it ran &amp; finished</p>');
    expect(html).toContain('<td>90.00%</td>');
    expect(markdown).toBe(
      '## Demo <report>\n\n- backend: cpu\n\n### Experiment A\n\nit ran & finished\n\n' +
        '| run | policy | optimizer | test acc | final loss | ms/step | act. grads = 0 | underflow | skipped | loss scale |\n' +
        '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n' +
        '| 2 | mixed_float16 | adam | 90.00% | 0.3000 | 40 | 50.0% | 25.0% | 0 | - |\n',
    );
  });
});
