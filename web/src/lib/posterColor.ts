/**
 * Poster-less art (the catalogue has no images): a small decorative picture per film, stable across
 * sessions, that never repeats the title or the year (the card's heading says them):
 *  - the genres pick the palette (first genre) and the motif (rays, circles, bars, shards, orbits),
 *    the second genre the accent colour;
 *  - the era (decade) picks the texture and tones: grain and faded colours before 1960, halftone dots
 *    in the 60s-70s, scanlines and saturated colours in the 80s-90s, a clean soft glow from 2000;
 *  - a hash of the id and title places the shapes (how many, where, how big, at what angle).
 * Everything is data that Poster.tsx draws as inline SVG (no external images: the CSP allows none).
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

/** mulberry32: a small seeded generator, so the same film always gets the same placement. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Motif = 'rays' | 'circles' | 'bars' | 'shards' | 'orbits';
export type Era = 'silent' | 'classic' | 'retro' | 'neon' | 'modern';

interface GenreLook {
  hue: number;
  sat: number;
  motif: Motif;
}

/** The genres the catalogue uses (TMDB's), each with a hue and a motif. */
const GENRES: Record<string, GenreLook> = {
  Action: { hue: 8, sat: 70, motif: 'rays' },
  Adventure: { hue: 32, sat: 65, motif: 'rays' },
  War: { hue: 60, sat: 25, motif: 'rays' },
  Western: { hue: 24, sat: 50, motif: 'rays' },
  Comedy: { hue: 48, sat: 75, motif: 'circles' },
  Family: { hue: 95, sat: 50, motif: 'circles' },
  Animation: { hue: 175, sat: 60, motif: 'circles' },
  Romance: { hue: 340, sat: 60, motif: 'circles' },
  Music: { hue: 300, sat: 55, motif: 'circles' },
  Drama: { hue: 215, sat: 40, motif: 'bars' },
  History: { hue: 35, sat: 30, motif: 'bars' },
  Documentary: { hue: 150, sat: 25, motif: 'bars' },
  'TV Movie': { hue: 200, sat: 20, motif: 'bars' },
  Crime: { hue: 0, sat: 55, motif: 'shards' },
  Thriller: { hue: 190, sat: 45, motif: 'shards' },
  Mystery: { hue: 255, sat: 40, motif: 'shards' },
  Horror: { hue: 350, sat: 65, motif: 'shards' },
  'Science Fiction': { hue: 185, sat: 70, motif: 'orbits' },
  Fantasy: { hue: 275, sat: 55, motif: 'orbits' },
};
const UNKNOWN: GenreLook = { hue: 220, sat: 12, motif: 'bars' };

export function genreLook(genre: string | undefined): GenreLook {
  return (genre && GENRES[genre]) || UNKNOWN;
}

export function eraOf(year: number | null | undefined): Era {
  if (!year) return 'modern';
  if (year < 1940) return 'silent';
  if (year < 1960) return 'classic';
  if (year < 1980) return 'retro';
  if (year < 2000) return 'neon';
  return 'modern';
}

/** How an era treats colours: a saturation factor and a hue pull towards sepia. */
const ERA_TONE: Record<Era, { sat: number; sepia: number; texture: 'grain' | 'halftone' | 'scanlines' | 'glow' }> = {
  silent: { sat: 0.2, sepia: 0.7, texture: 'grain' },
  classic: { sat: 0.5, sepia: 0.35, texture: 'grain' },
  retro: { sat: 1, sepia: 0.15, texture: 'halftone' },
  neon: { sat: 1.3, sepia: 0, texture: 'scanlines' },
  modern: { sat: 0.9, sepia: 0, texture: 'glow' },
};

export type Shape =
  | { kind: 'circle'; cx: number; cy: number; r: number; opacity: number; ring?: boolean }
  | { kind: 'polygon'; points: string; opacity: number }
  | { kind: 'rect'; x: number; y: number; w: number; h: number; opacity: number };

export interface PosterArt {
  /** Background gradient stops and the motif's colours (CSS hsl()). */
  from: string;
  to: string;
  ink: string;
  accent: string;
  angle: number;
  motif: Motif;
  era: Era;
  texture: 'grain' | 'halftone' | 'scanlines' | 'glow';
  /** Rotation of the whole motif, degrees. */
  tilt: number;
  shapes: Shape[];
}

/** The art's coordinate box (Poster draws it with preserveAspectRatio slice, so any box shape fills). */
export const ART_W = 160;
export const ART_H = 100;

const r1 = (n: number) => Math.round(n * 10) / 10;

function hsl(h: number, s: number, l: number): string {
  return `hsl(${Math.round(((h % 360) + 360) % 360)} ${Math.round(Math.max(0, Math.min(100, s)))}% ${Math.round(l)}%)`;
}

/** Pulls a hue towards sepia (about 35°) by `amount` (0-1) the short way round. */
function towardsSepia(hue: number, amount: number): number {
  const d = ((35 - hue + 540) % 360) - 180;
  return hue + d * amount;
}

function shapesFor(motif: Motif, rand: () => number): Shape[] {
  const between = (a: number, b: number) => a + (b - a) * rand();
  const shapes: Shape[] = [];
  switch (motif) {
    case 'rays': {
      const ox = between(0, ART_W);
      const oy = rand() < 0.5 ? between(-10, 20) : between(80, 110);
      const n = 4 + Math.floor(rand() * 4);
      let a = between(0, 360);
      for (let i = 0; i < n; i++) {
        const w = between(6, 16);
        const rad = (d: number) => (d * Math.PI) / 180;
        const p1 = [ox + 260 * Math.cos(rad(a)), oy + 260 * Math.sin(rad(a))];
        const p2 = [ox + 260 * Math.cos(rad(a + w)), oy + 260 * Math.sin(rad(a + w))];
        shapes.push({ kind: 'polygon', points: `${r1(ox)},${r1(oy)} ${r1(p1[0]!)},${r1(p1[1]!)} ${r1(p2[0]!)},${r1(p2[1]!)}`, opacity: r1(between(0.35, 0.8)) });
        a += w + between(14, 40);
      }
      break;
    }
    case 'circles': {
      const n = 3 + Math.floor(rand() * 4);
      for (let i = 0; i < n; i++) {
        shapes.push({ kind: 'circle', cx: r1(between(0, ART_W)), cy: r1(between(0, ART_H)), r: r1(between(8, 38)), opacity: r1(between(0.3, 0.85)) });
      }
      break;
    }
    case 'bars': {
      const n = 4 + Math.floor(rand() * 4);
      for (let i = 0; i < n; i++) {
        const h = between(30, ART_H + 40);
        shapes.push({ kind: 'rect', x: r1(between(-10, ART_W)), y: r1(rand() < 0.5 ? -20 : ART_H + 20 - h), w: r1(between(5, 22)), h: r1(h), opacity: r1(between(0.3, 0.8)) });
      }
      break;
    }
    case 'shards': {
      const n = 3 + Math.floor(rand() * 3);
      for (let i = 0; i < n; i++) {
        const cx = between(0, ART_W);
        const cy = between(0, ART_H);
        const pts = Array.from({ length: 3 + Math.floor(rand() * 2) }, () => `${r1(cx + between(-45, 45))},${r1(cy + between(-35, 35))}`);
        shapes.push({ kind: 'polygon', points: pts.join(' '), opacity: r1(between(0.35, 0.85)) });
      }
      break;
    }
    case 'orbits': {
      const cx = between(20, ART_W - 20);
      const cy = between(15, ART_H - 15);
      const n = 3 + Math.floor(rand() * 3);
      let r = between(8, 16);
      for (let i = 0; i < n; i++) {
        shapes.push({ kind: 'circle', cx: r1(cx), cy: r1(cy), r: r1(r), opacity: r1(between(0.35, 0.8)), ring: true });
        r += between(9, 20);
      }
      shapes.push({ kind: 'circle', cx: r1(cx + between(-50, 50)), cy: r1(cy + between(-30, 30)), r: r1(between(3, 7)), opacity: 0.9 });
      break;
    }
  }
  return shapes;
}

export interface ArtInput {
  id: string;
  title: string;
  year: number | null | undefined;
  genres: readonly string[];
}

export function posterArt({ id, title, year, genres }: ArtInput): PosterArt {
  const main = genreLook(genres[0]);
  const second = genres[1] ? genreLook(genres[1]) : { ...main, hue: main.hue + 40 };
  const era = eraOf(year);
  const tone = ERA_TONE[era];
  const h = hashId(`${id}\u0000${title}`);
  const rand = seeded(h);
  const jitter = (h % 17) - 8; // a few degrees of hue per film, so two dramas of a decade still differ
  const hue = towardsSepia(main.hue + jitter, tone.sepia);
  const accentHue = towardsSepia(second.hue, tone.sepia);
  const sat = main.sat * tone.sat;
  const accentSat = Math.max(second.sat, 35) * tone.sat;
  return {
    from: hsl(hue, sat, 24),
    to: hsl(hue + 25, sat * 0.8, 11),
    ink: hsl(hue, sat + 10, 62),
    accent: hsl(accentHue, accentSat + 10, era === 'neon' ? 62 : 52),
    angle: 100 + ((h >>> 8) % 140),
    motif: main.motif,
    era,
    texture: tone.texture,
    tilt: ((h >>> 16) % 31) - 15,
    shapes: shapesFor(main.motif, rand),
  };
}

// ---------------------------------------------------------------- contrast (WCAG 2), to check the motif shows

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
