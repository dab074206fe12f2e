import { memo, useId } from 'react';
import { ART_H, ART_W, posterArt, type PosterArt } from '../lib/posterColor';

interface Props {
  id: string;
  /** Used only to place the shapes: the art never shows the title or the year (the heading next to it does). */
  title: string;
  year: number | null;
  genres: readonly string[];
  size?: 'card' | 'large';
}

function Texture({ art, id }: { art: PosterArt; id: string }) {
  switch (art.texture) {
    case 'grain':
      return (
        <>
          <filter id={id} x="0" y="0" width="100%" height="100%">
            <feTurbulence type="fractalNoise" baseFrequency="0.9" numOctaves="2" seed="3" />
            <feColorMatrix type="saturate" values="0" />
          </filter>
        </>
      );
    case 'halftone':
      return (
        <pattern id={id} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <circle cx="3" cy="3" r="1.3" fill="#000" />
        </pattern>
      );
    case 'scanlines':
      return (
        <pattern id={id} width="4" height="4" patternUnits="userSpaceOnUse">
          <rect width="4" height="1.4" fill="#000" />
        </pattern>
      );
    case 'glow':
      return (
        <radialGradient id={id} cx="0.75" cy="0.2" r="0.7">
          <stop offset="0" stopColor="#fff" stopOpacity="0.22" />
          <stop offset="1" stopColor="#fff" stopOpacity="0" />
        </radialGradient>
      );
  }
}

function TextureLayer({ art, id }: { art: PosterArt; id: string }) {
  if (art.texture === 'grain') return <rect width={ART_W} height={ART_H} filter={`url(#${id})`} opacity={art.era === 'silent' ? 0.35 : 0.22} style={{ mixBlendMode: 'overlay' }} />;
  if (art.texture === 'halftone') return <rect width={ART_W} height={ART_H} fill={`url(#${id})`} opacity={0.35} />;
  if (art.texture === 'scanlines') return <rect width={ART_W} height={ART_H} fill={`url(#${id})`} opacity={0.3} />;
  return <rect width={ART_W} height={ART_H} fill={`url(#${id})`} />;
}

/**
 * Decorative art for a film without a poster (lib/posterColor.ts says how it is derived). Hidden from
 * assistive technology and free of text: the card's heading carries the title and year.
 */
export const Poster = memo(function Poster({ id, title, year, genres, size = 'card' }: Props) {
  const art = posterArt({ id, title, year, genres });
  const uid = useId().replace(/[^a-zA-Z0-9_-]/g, '');
  const bg = `pbg${uid}`;
  const tex = `ptx${uid}`;
  const rad = (art.angle * Math.PI) / 180;
  const dx = Math.cos(rad) / 2;
  const dy = Math.sin(rad) / 2;
  return (
    <div
      className={`poster poster-${size} poster-${art.motif} poster-era-${art.era}`}
      data-motif={art.motif}
      data-era={art.era}
      aria-hidden="true"
    >
      <svg viewBox={`0 0 ${ART_W} ${ART_H}`} preserveAspectRatio="xMidYMid slice" focusable="false" aria-hidden="true">
        <defs>
          <linearGradient id={bg} x1={0.5 - dx} y1={0.5 - dy} x2={0.5 + dx} y2={0.5 + dy}>
            <stop offset="0" stopColor={art.from} />
            <stop offset="1" stopColor={art.to} />
          </linearGradient>
          <Texture art={art} id={tex} />
        </defs>
        <rect width={ART_W} height={ART_H} fill={`url(#${bg})`} />
        <g transform={`rotate(${art.tilt} ${ART_W / 2} ${ART_H / 2})`}>
          {art.shapes.map((s, i) => {
            const colour = i % 3 === 1 ? art.accent : art.ink;
            if (s.kind === 'circle') {
              return s.ring ? (
                <circle key={i} cx={s.cx} cy={s.cy} r={s.r} fill="none" stroke={colour} strokeWidth={1.6} opacity={s.opacity} />
              ) : (
                <circle key={i} cx={s.cx} cy={s.cy} r={s.r} fill={colour} opacity={s.opacity} />
              );
            }
            if (s.kind === 'rect') return <rect key={i} x={s.x} y={s.y} width={s.w} height={s.h} fill={colour} opacity={s.opacity} />;
            return <polygon key={i} points={s.points} fill={colour} opacity={s.opacity} />;
          })}
        </g>
        <TextureLayer art={art} id={tex} />
      </svg>
    </div>
  );
});
