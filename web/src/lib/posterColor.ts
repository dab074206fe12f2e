/**
 * Poster-less cards: every film gets its own colours and type treatment from its id, stable across
 * sessions, with the title always readable (white text, contrast at least 4.5:1 on both gradient stops).
 */

/** FNV-1a, 32 bits. */
export function hashId(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export interface PosterStyle {
  hue: number;
  /** Gradient stops, CSS colours (hsl). */
  from: string;
  to: string;
  /** Text colour. */
  ink: string;
  /** One of a few type treatments. */
  typeface: 'serif' | 'sans' | 'condensed';
  /** Angle of the gradient, degrees. */
  angle: number;
}

const TYPEFACES: PosterStyle['typeface'][] = ['serif', 'sans', 'condensed'];

export function posterStyle(id: string): PosterStyle {
  const h = hashId(id);
  const hue = h % 360;
  const hue2 = (hue + 25 + ((h >>> 9) % 50)) % 360;
  const sat = 38 + ((h >>> 16) % 20); // 38-57 %
  const typeface = TYPEFACES[(h >>> 12) % TYPEFACES.length] ?? 'sans';
  const angle = 135 + ((h >>> 20) % 90);
  return {
    hue,
    from: `hsl(${hue} ${sat}% 30%)`,
    to: `hsl(${hue2} ${sat + 5}% 16%)`,
    ink: '#ffffff',
    typeface,
    angle,
  };
}

// ---------------------------------------------------------------- contrast (WCAG 2)

export function hslToRgb(h: number, s: number, l: number): [number, number, number] {
  const sat = s / 100;
  const light = l / 100;
  const k = (n: number) => (n + h / 30) % 12;
  const a = sat * Math.min(light, 1 - light);
  const f = (n: number) => light - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  return [Math.round(f(0) * 255), Math.round(f(8) * 255), Math.round(f(4) * 255)];
}

export function relativeLuminance([r, g, b]: [number, number, number]): number {
  const lin = (c: number) => {
    const v = c / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function contrastRatio(a: [number, number, number], b: [number, number, number]): number {
  const la = relativeLuminance(a);
  const lb = relativeLuminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** Parses the `hsl(H S% L%)` strings produced above. */
export function parseHsl(css: string): [number, number, number] {
  const m = /hsl\((\d+(?:\.\d+)?) (\d+(?:\.\d+)?)% (\d+(?:\.\d+)?)%\)/.exec(css);
  if (!m) throw new Error(`not an hsl() colour: ${css}`);
  return hslToRgb(Number(m[1]), Number(m[2]), Number(m[3]));
}
