// The few SVG elements the demo's hand-written figures are made of (the
// gradient histogram, the web page's line charts), as text.

/** The smallest 1, 2 or 5 times a power of ten at or above `v`. */
export function niceCeiling(v: number): number {
  const power = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) {
    if (m * power >= v * (1 - 1e-12)) {
      return m * power;
    }
  }
  return 10 * power;
}

/** A filled rectangle (negative sizes drawn as 0). */
export function rect(x: number, y: number, w: number, h: number, fill: string): string {
  return `<rect x="${r(x)}" y="${r(y)}" width="${r(Math.max(0, w))}" height="${r(Math.max(0, h))}" fill="${fill}"/>`;
}

/** A line segment, optionally dashed. */
export function line(
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  stroke: string,
  width: number,
  dash?: string,
): string {
  const dashes = dash === undefined ? '' : ` stroke-dasharray="${dash}"`;
  return `<line x1="${r(x1)}" y1="${r(y1)}" x2="${r(x2)}" y2="${r(y2)}" stroke="${stroke}" stroke-width="${width}"${dashes}/>`;
}

export interface TextStyle {
  size: number;
  anchor?: 'start' | 'middle' | 'end';
  weight?: 'bold';
  fill?: string;
  rotate?: boolean;
}

/** A text element, escaped; `rotate` turns it 90 degrees counter-clockwise. */
export function text(x: number, y: number, content: string, style: TextStyle): string {
  const attrs = [
    `x="${r(x)}"`,
    `y="${r(y)}"`,
    `font-size="${style.size}"`,
    style.anchor === undefined ? '' : `text-anchor="${style.anchor}"`,
    style.weight === undefined ? '' : `font-weight="${style.weight}"`,
    `fill="${style.fill ?? '#111111'}"`,
    style.rotate === true ? `transform="rotate(-90 ${r(x)} ${r(y)})"` : '',
  ].filter((a) => a !== '');
  return `<text ${attrs.join(' ')}>${escapeXml(content)}</text>`;
}

/** Escapes the five XML special characters. */
export function escapeXml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** A coordinate with one decimal. */
export function r(v: number): string {
  return (Math.round(v * 10) / 10).toString();
}
