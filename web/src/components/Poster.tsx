import type { CSSProperties } from 'react';
import { posterStyle } from '../lib/posterColor';

/** A poster set in type: colours from the film's id, the title as the artwork. */
export function Poster({ id, title, year, size = 'card' }: { id: string; title: string; year: number | null; size?: 'card' | 'large' }) {
  const s = posterStyle(id);
  const style = {
    '--poster-from': s.from,
    '--poster-to': s.to,
    '--poster-angle': `${s.angle}deg`,
    color: s.ink,
  } as CSSProperties;
  const long = title.length > 28 ? ' poster-long' : title.length < 10 ? ' poster-short' : '';
  return (
    <div className={`poster poster-${size} poster-${s.typeface}${long}`} style={style} aria-hidden="true">
      <span className="poster-title">{title}</span>
      {year ? <span className="poster-year">{year}</span> : null}
    </div>
  );
}
