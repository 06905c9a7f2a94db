import {RUNS} from '../../../examples/demo/experiment';
import {LiveCharts} from '../../../examples/web/live_charts';
import {renderLineChart, xTicks} from '../../../examples/web/line_chart';

describe('renderLineChart', () => {
  const chart = {
    title: 'Loss <per> step',
    xLabel: 'step',
    yLabel: 'loss',
    xMin: 0,
    xMax: 10,
    series: [
      {name: 'a', color: '#111111', points: [[1, 2], [2, NaN], [3, 1.5], [4, 1]] as Array<[number, number]>},
      {name: 'b', color: '#222222', dash: '2 3', points: [[1, 2.2]] as Array<[number, number]>},
    ],
  };
  const svg = renderLineChart(chart);

  it('is one escaped svg element, with no NaN in it', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('Loss &lt;per&gt; step');
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
  });

  it('breaks a line at a non-finite point and dots lone points', () => {
    // a: [1] alone, then [3, 4] as a line; b: one lone point.
    expect((svg.match(/<polyline /g) ?? []).length).toBe(1);
    expect((svg.match(/<circle /g) ?? []).length).toBe(2);
    expect(svg).toContain('stroke-dasharray="2 3"');
  });

  it('refuses an empty x range', () => {
    expect(() => renderLineChart({...chart, xMax: 0})).toThrow(
      'chart.xMax must be greater than chart.xMin; received xMin 0, xMax 0.',
    );
  });

  it('puts integer ticks on a 1-2-5 step', () => {
    expect(xTicks(0, 4)).toEqual([0, 1, 2, 3, 4]);
    expect(xTicks(0, 12)).toEqual([0, 2, 4, 6, 8, 10, 12]);
    expect(xTicks(0, 300)).toEqual([0, 50, 100, 150, 200, 250, 300]);
  });
});

describe('LiveCharts', () => {
  it('records points per run and draws one line per run, one dot per epoch', () => {
    const charts = new LiveCharts(4, 2);
    for (const run of RUNS) {
      for (let step = 1; step <= 4; step++) {
        charts.addStep(run, step, 2.3 - step / 10);
      }
      charts.addEpoch(run, 1, 0.5);
      charts.addEpoch(run, 2, 0.75);
    }
    expect(charts.counts()).toEqual([[4, 2], [4, 2], [4, 2]]);
    expect((charts.lossSvg().match(/<polyline /g) ?? []).length).toBe(3);
    expect((charts.accuracySvg().match(/<circle /g) ?? []).length).toBe(6);
    expect(charts.accuracySvg()).toContain('>100%<');
  });

  it('refuses a run that is not one of the demo\'s', () => {
    expect(() => new LiveCharts(4, 2).addStep({name: '9', policy: 'float32', lossScaling: false}, 1, 1)).toThrow(
      "run must be one of the demo's runs (1, 2, 3); received '9'.",
    );
  });
});
