import {
  RunResult,
  formatResultsHtml,
  formatResultsMarkdown,
  formatResultsTable,
  formatScale,
} from '../../../examples/demo/results_table';

const results: RunResult[] = [
  {
    name: '1',
    policy: 'float32',
    optimizer: 'adam',
    testAccuracy: 0.98123,
    finalLoss: 0.05678,
    msPerStep: 412.4,
    gradientZeroFraction: 0.1234,
    underflowFraction: null,
    skippedSteps: 0,
    finalLossScale: null,
  },
  {
    name: '3',
    policy: 'mixed_float16',
    optimizer: 'LossScale(adam)',
    testAccuracy: 0.9799,
    finalLoss: NaN,
    msPerStep: 501,
    gradientZeroFraction: 0.2,
    underflowFraction: 0.0456,
    skippedSteps: 4,
    finalLossScale: 8192,
  },
];

describe('results table', () => {
  it('aligns columns as text', () => {
    const lines = formatResultsTable(results).split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe(
      'run  policy         optimizer        test acc  final loss  ms/step  act. grads = 0  underflow  skipped  loss scale',
    );
    expect(lines[2]).toBe(
      '1    float32        adam               98.12%      0.0568      412           12.3%          -        0           -',
    );
    expect(lines[3]).toBe(
      '3    mixed_float16  LossScale(adam)    97.99%         NaN      501           20.0%       4.6%        4        2^13',
    );
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
  });

  it('writes Markdown and escaped HTML', () => {
    const md = formatResultsMarkdown(results).split('\n');
    expect(md[1]).toBe('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    expect(md[3]).toBe('| 3 | mixed_float16 | LossScale(adam) | 97.99% | NaN | 501 | 20.0% | 4.6% | 4 | 2^13 |');
    const html = formatResultsHtml([{...results[0] as RunResult, optimizer: '<sgd>'}]);
    expect(html).toContain('<td>&lt;sgd&gt;</td>');
    expect((html.match(/<tr>/g) ?? []).length).toBe(2);
  });

  it.each([
    [32768, '2^15'],
    [1, '2^0'],
    [0.5, '2^-1'],
    [3, '3'],
  ])('formatScale(%p) = %s', (scale, text) => {
    expect(formatScale(scale)).toBe(text);
  });
});
