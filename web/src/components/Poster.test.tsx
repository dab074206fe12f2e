import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Poster } from './Poster';

describe('Poster', () => {
  it('is decorative: aria-hidden, and no text at all (no title, no year)', () => {
    const { container } = render(<Poster id="949" title="Heat" year={1995} genres={['Crime', 'Thriller']} />);
    const art = container.querySelector('.poster')!;
    expect(art).toHaveAttribute('aria-hidden', 'true');
    expect(art.textContent).toBe('');
    expect(art.querySelector('text, title, img, image')).toBeNull();
    expect(art.querySelector('svg')).not.toBeNull();
  });

  it('differs between films of different genres and eras', () => {
    const draw = (genres: string[], year: number) => {
      const { container } = render(<Poster id="1" title="Same title" year={year} genres={genres} />);
      const el = container.querySelector('.poster')!;
      return { motif: el.getAttribute('data-motif'), era: el.getAttribute('data-era'), svg: el.innerHTML.replace(/p(bg|tx)[^")]*/g, '') };
    };
    const crime90s = draw(['Crime'], 1995);
    const comedy90s = draw(['Comedy'], 1995);
    const crime50s = draw(['Crime'], 1955);
    expect(crime90s.motif).not.toBe(comedy90s.motif);
    expect(crime90s.svg).not.toBe(comedy90s.svg);
    expect(crime90s.era).not.toBe(crime50s.era);
    expect(crime90s.svg).not.toBe(crime50s.svg);
  });

  it('gives each drawing its own ids, so two on a page do not share gradients', () => {
    const { container } = render(
      <>
        <Poster id="1" title="A" year={2001} genres={['Drama']} />
        <Poster id="2" title="B" year={2001} genres={['Drama']} />
      </>,
    );
    const ids = Array.from(container.querySelectorAll('[id]')).map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
