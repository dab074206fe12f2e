import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';

interface Props {
  /** 0.5-5, or null when not rated. */
  value: number | null;
  onChange(value: number | null): void;
  /** Accessible name, e.g. "Your rating of Heat". */
  label: string;
  size?: 'sm' | 'md';
  /** Keyboard changes are committed after this pause, so arrowing 1 → 4.5 saves once. */
  commitDelayMs?: number;
}

const clamp = (v: number) => Math.min(5, Math.max(0.5, Math.round(v * 2) / 2));

/**
 * Half-star rating as an ARIA slider: arrows ±½, Page Up/Down ±1, Home ½, End 5, digits 1-5,
 * Delete/Backspace/0 clears. Pointer: the half of the star under the pointer.
 */
export function StarRating({ value, onChange, label, size = 'md', commitDelayMs = 500 }: Props) {
  const [pending, setPending] = useState<number | null | undefined>(undefined);
  const [hover, setHover] = useState<number | null>(null);
  const timer = useRef<number | undefined>(undefined);
  const latest = useRef<{ pending: number | null | undefined; onChange: Props['onChange'] }>({ pending, onChange });
  latest.current = { pending, onChange };

  const current = pending !== undefined ? pending : value;
  const shown = hover ?? current ?? 0;

  // Flush a pending keyboard change when the control goes away.
  useEffect(
    () => () => {
      window.clearTimeout(timer.current);
      const { pending: p, onChange: cb } = latest.current;
      if (p !== undefined) cb(p);
    },
    [],
  );

  // The server's value caught up: drop the local one.
  useEffect(() => {
    if (pending !== undefined && timer.current === undefined && pending === value) setPending(undefined);
  }, [value, pending]);

  function commit(v: number | null, delay: number) {
    window.clearTimeout(timer.current);
    setPending(v);
    const fire = () => {
      timer.current = undefined;
      setPending(undefined);
      if (v !== value) onChange(v);
    };
    if (delay <= 0) fire();
    else timer.current = window.setTimeout(fire, delay);
  }

  /** Leaving the control saves a pending keyboard change at once. */
  function flush() {
    if (timer.current === undefined) return;
    window.clearTimeout(timer.current);
    timer.current = undefined;
    const p = latest.current.pending;
    setPending(undefined);
    if (p !== undefined && p !== value) onChange(p);
  }

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const base = current ?? 0;
    let next: number | null | undefined;
    switch (e.key) {
      case 'ArrowRight':
      case 'ArrowUp':
        next = clamp(base + 0.5);
        break;
      case 'ArrowLeft':
      case 'ArrowDown':
        next = base === 0 ? null : clamp(base - 0.5);
        break;
      case 'PageUp':
        next = clamp(base + 1);
        break;
      case 'PageDown':
        next = base === 0 ? null : clamp(base - 1);
        break;
      case 'Home':
        next = 0.5;
        break;
      case 'End':
        next = 5;
        break;
      case 'Delete':
      case 'Backspace':
      case '0':
        next = null;
        break;
      default:
        if (/^[1-5]$/.test(e.key)) next = Number(e.key);
    }
    if (next === undefined) return;
    e.preventDefault();
    commit(next, commitDelayMs);
  }

  function valueAt(e: PointerEvent<HTMLDivElement>): number | null {
    const rect = e.currentTarget.getBoundingClientRect();
    if (rect.width <= 0) return null;
    const x = (e.clientX - rect.left) / rect.width;
    return clamp(Math.ceil(x * 10) / 2);
  }

  const text = current ? `${current} of 5 stars` : 'Not rated';
  return (
    <div className={`stars stars-${size}`}>
      <div
        role="slider"
        tabIndex={0}
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={5}
        aria-valuenow={current ?? 0}
        aria-valuetext={text}
        className="stars-track"
        onKeyDown={onKeyDown}
        onBlur={flush}
        onPointerMove={(e) => setHover(valueAt(e))}
        onPointerLeave={() => setHover(null)}
        onClick={(e) => {
          const v = valueAt(e as unknown as PointerEvent<HTMLDivElement>);
          if (v !== null) commit(v, 0);
        }}
      >
        <span className="stars-base" aria-hidden="true">
          ★★★★★
        </span>
        <span className="stars-fill" aria-hidden="true" style={{ width: `${(shown / 5) * 100}%` }}>
          ★★★★★
        </span>
      </div>
      <span className="stars-value" aria-hidden="true">
        {current ? current.toFixed(1) : '–'}
      </span>
      {current ? (
        <button type="button" className="link-button stars-clear" onClick={() => commit(null, 0)} aria-label={`Clear ${label.charAt(0).toLowerCase()}${label.slice(1)}`}>
          clear
        </button>
      ) : null}
    </div>
  );
}
