import { describe, expect, it } from 'vitest';
import { contrastRatio, eraOf, hashId, parseHsl, posterArt, seeded, type ArtInput } from './posterColor';

const film = (over: Partial<ArtInput> = {}): ArtInput => ({ id: '949', title: 'Heat', year: 1995, genres: ['Crime', 'Thriller'], ...over });

describe('posterArt', () => {
  it('is stable for a film', () => {
    expect(posterArt(film())).toEqual(posterArt(film()));
  });

  it('takes palette and motif from the genres', () => {
    const crime = posterArt(film({ genres: ['Crime'] }));
    const romance = posterArt(film({ genres: ['Romance'] }));
    const scifi = posterArt(film({ genres: ['Science Fiction'] }));
    expect(crime.motif).toBe('shards');
    expect(romance.motif).toBe('circles');
    expect(scifi.motif).toBe('orbits');
    expect(new Set([crime.from, romance.from, scifi.from]).size).toBe(3);
    expect(posterArt(film({ genres: ['Crime', 'Comedy'] })).accent).not.toBe(posterArt(film({ genres: ['Crime', 'Horror'] })).accent);
  });

  it('takes texture and tones from the era (decade)', () => {
    expect(eraOf(1925)).toBe('silent');
    expect(eraOf(1955)).toBe('classic');
    expect(eraOf(1972)).toBe('retro');
    expect(eraOf(1995)).toBe('neon');
    expect(eraOf(2012)).toBe('modern');
    expect(eraOf(null)).toBe('modern');
    const textures = [1930, 1975, 1990, 2015].map((year) => posterArt(film({ year })).texture);
    expect(new Set(textures).size).toBe(4);
    const old = posterArt(film({ year: 1930 }));
    const recent = posterArt(film({ year: 2015 }));
    expect(old.from).not.toBe(recent.from); // faded, sepia-leaning colours for old films
  });

  it('places the shapes from the title hash: two films of one genre and era still differ', () => {
    const a = posterArt(film({ id: '1', title: 'Heat' }));
    const b = posterArt(film({ id: '2', title: 'Se7en' }));
    expect(a.motif).toBe(b.motif);
    expect(a.shapes).not.toEqual(b.shapes);
    const placements = new Set(Array.from({ length: 50 }, (_, i) => JSON.stringify(posterArt(film({ id: String(i), title: `Film ${i}` })).shapes)));
    expect(placements.size).toBe(50);
  });

  it('has no text in it (no title, no year)', () => {
    const art = JSON.stringify(posterArt(film({ title: 'The Unmistakable Title' })));
    expect(art).not.toContain('Unmistakable');
    expect(art).not.toContain('1995');
  });

  it('keeps the motif visible on its background for every genre and era', () => {
    const genres = ['Action', 'Comedy', 'Drama', 'Crime', 'Fantasy', 'Documentary', 'Unheard of'];
    for (const g of genres) {
      for (const year of [1925, 1955, 1975, 1990, 2010]) {
        const art = posterArt(film({ genres: [g], year }));
        expect(contrastRatio(parseHsl(art.ink), parseHsl(art.from))).toBeGreaterThanOrEqual(1.8);
      }
    }
  });

  it('hashes with FNV-1a and seeds a repeatable generator', () => {
    expect(hashId('')).toBe(0x811c9dc5);
    expect(hashId('a')).toBe(0xe40c292c);
    const a = seeded(42);
    const b = seeded(42);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
  });
});

describe('contrastRatio', () => {
  it('matches known WCAG values', () => {
    expect(contrastRatio([0, 0, 0], [255, 255, 255])).toBeCloseTo(21, 0);
    expect(contrastRatio([118, 118, 118], [255, 255, 255])).toBeCloseTo(4.54, 1);
  });
});
