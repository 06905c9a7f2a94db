import {GradientHistogram} from '../../../examples/demo/gradient_histogram';
import {escapeXml, niceCeiling, renderHistogramSvg} from '../../../examples/demo/histogram_svg';

describe('renderHistogramSvg', () => {
  const before = new GradientHistogram().add(new Float32Array([0, 1e-9, 1e-9, 3e-6, 0.01]));
  const after = new GradientHistogram().add(new Float32Array([0, 1e-6, 1e-6, 3e-3, 10]));
  const svg = renderHistogramSvg({
    title: 'Gradients <test> & more',
    panels: [
      {title: 'before', histogram: before},
      {title: 'after x1024', histogram: after},
    ],
    caption: ['first line', 'second line'],
  });

  it('is one well-formed svg element with balanced tags', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect((svg.match(/<g>/g) ?? []).length).toBe((svg.match(/<\/g>/g) ?? []).length);
    expect((svg.match(/<text /g) ?? []).length).toBe((svg.match(/<\/text>/g) ?? []).length);
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
  });

  it('escapes text and shows titles, shares and captions', () => {
    expect(svg).toContain('Gradients &lt;test&gt; &amp; more');
    expect(svg).toContain('>before<');
    expect(svg).toContain('>after x1024<');
    expect(svg).toContain('becomes 0 in float16: 40.0%');
    expect(svg).toContain('becomes 0 in float16: 0.0%');
    expect(svg).toContain('exactly 0: 20.0%');
    expect(svg).toContain('>second line<');
  });

  it('draws one bar per non-empty bin in each panel, coloured by float16 range', () => {
    // bars use the dark band colours; before: bins -30 (2 entries), -19, -7; after: -20, -9, 3
    expect((svg.match(/fill="#c0392b"/g) ?? []).length).toBe(1 + 1); // 1 flushed bar + the legend swatch
    expect((svg.match(/fill="#d68910"/g) ?? []).length).toBe(2 + 1);
    expect((svg.match(/fill="#1e8449"/g) ?? []).length).toBe(3 + 1);
  });

  it('scales the y axis to the log2 bins and labels a taller zero bar', () => {
    const mostlyZero = new GradientHistogram().add(new Float32Array([0, 0, 0, 0, 0, 0, 0, 0, 1e-3, 1e-3]));
    const out = renderHistogramSvg({title: 't', panels: [{title: 'p', histogram: mostlyZero}]});
    expect(out).toContain('>20%<'); // axis top: the 20% bin, not the 80% zeros
    expect(out).toContain('>80%<'); // the clipped zero bar's label
  });

  it('refuses a figure without panels', () => {
    expect(() => renderHistogramSvg({title: 't', panels: []})).toThrow(
      'figure.panels must hold at least one panel; received none.',
    );
  });
});

describe('helpers', () => {
  it.each([
    [0.3, 0.5],
    [1, 1],
    [1.01, 2],
    [7, 10],
    [42, 50],
    [0.0012, 0.002],
  ])('niceCeiling(%p) = %p', (v, expected) => {
    expect(niceCeiling(v)).toBeCloseTo(expected, 12);
  });

  it('escapes the XML specials', () => {
    expect(escapeXml(`a<b>&"c'`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;');
  });
});
