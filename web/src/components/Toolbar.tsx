import { useLayoutEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';

const ITEMS = 'button:not(:disabled), a[href]';

/**
 * A row of controls that is one Tab stop (WAI-ARIA toolbar, roving tabindex): Tab enters on the control last
 * used (the first at the start), Left/Right move between the controls (wrapping), Home/End go to the ends.
 * The controls are found in the DOM, so any button or link put inside (a card's footer too) takes part;
 * disabled ones are passed over.
 */
export function Toolbar({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const active = useRef<HTMLElement | null>(null);

  const items = () => Array.from(ref.current?.querySelectorAll<HTMLElement>(ITEMS) ?? []);
  const settle = () => {
    const all = items();
    if (!active.current || !all.includes(active.current)) active.current = all[0] ?? null;
    for (const el of all) el.tabIndex = el === active.current ? 0 : -1;
  };
  // After every render: controls may have come, gone or been disabled (Seen it once seen).
  useLayoutEffect(settle);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const all = items();
    const at = all.indexOf(document.activeElement as HTMLElement);
    if (at < 0) return;
    let to: number;
    if (e.key === 'ArrowRight') to = (at + 1) % all.length;
    else if (e.key === 'ArrowLeft') to = (at - 1 + all.length) % all.length;
    else if (e.key === 'Home') to = 0;
    else if (e.key === 'End') to = all.length - 1;
    else return;
    e.preventDefault();
    all[to]?.focus();
  };

  return (
    <div
      ref={ref}
      role="toolbar"
      aria-label={label}
      className={className}
      onKeyDown={onKeyDown}
      onFocus={(e) => {
        if (e.target instanceof HTMLElement && e.target !== ref.current && e.target.matches(ITEMS)) {
          active.current = e.target;
          settle();
        }
      }}
    >
      {children}
    </div>
  );
}
