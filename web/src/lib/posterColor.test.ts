import { describe, expect, it } from 'vitest';
import { contrastRatio, hashId, parseHsl, posterStyle } from './posterColor';

const WHITE: [number, number, number] = [255, 255, 255];

describe('posterStyle', () => {
  it('is stable for an id', () => {
    expect(posterStyle('238')).toEqual(posterStyle('238'));
  });

  it('spreads ids over the colour wheel', () => {
    const hues = new Set(Array.from({ length: 200 }, (_, i) => Math.floor(posterStyle(String(i + 1)).hue / 30)));
    expect(hues.size).toBeGreaterThanOrEqual(10); // at least 10 of the 12 30°-sectors used
    expect(posterStyle('1').hue).not.toBe(posterStyle('2').hue);
  });

  it('keeps white titles readable (WCAG AA, 4.5:1) on both gradient stops for every id tried', () => {
    for (let i = 1; i <= 2000; i++) {
      const s = posterStyle(String(i * 7));
      expect(contrastRatio(parseHsl(s.from), WHITE)).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(parseHsl(s.to), WHITE)).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('uses every type treatment', () => {
    const faces = new Set(Array.from({ length: 100 }, (_, i) => posterStyle(String(i)).typeface));
    expect(faces).toEqual(new Set(['serif', 'sans', 'condensed']));
  });

  it('hashes with FNV-1a', () => {
    expect(hashId('')).toBe(0x811c9dc5);
    expect(hashId('a')).toBe(0xe40c292c);
  });
});

describe('contrastRatio', () => {
  it('matches known WCAG values', () => {
    expect(contrastRatio([0, 0, 0], WHITE)).toBeCloseTo(21, 0);
    expect(contrastRatio([118, 118, 118], WHITE)).toBeCloseTo(4.54, 1);
  });
});
