import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';

interface Toast {
  id: number;
  text: string;
  tone: 'error' | 'info';
  /** An action offered in the toast ("Undo"); pressing it runs it and closes the toast. */
  action?: { label: string; ariaLabel?: string; run: () => void; focus?: boolean };
}
interface ToastApi {
  error(text: string): void;
  info(text: string): void;
  /** An info toast with an Undo button, for UNDO_TOAST_MS (longer while the pointer or focus is on it). With
   * `focus` the Undo button takes the focus (for a control that was pressed from the keyboard and is now gone). */
  undo(text: string, onUndo: () => void, options?: { ariaLabel?: string; focus?: boolean }): void;
}

/** How long an undo toast stays. */
export const UNDO_TOAST_MS = 6_000;
const INFO_MS = 4_000;
const ERROR_MS = 10_000;

const ToastContext = createContext<ToastApi | null>(null);

/**
 * Messages about actions (a failed save, a copied code, Undo after Not interested); errors stay until
 * dismissed or 10 s pass. Each toast is announced (role status, or alert for errors). A toast's timer stops
 * while the pointer is over it or the keyboard focus is in it (Tab reaches its buttons), and starts again after.
 */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const timers = useRef(new Map<number, number>());
  const remove = useCallback((id: number) => {
    window.clearTimeout(timers.current.get(id));
    timers.current.delete(id);
    setToasts((t) => t.filter((x) => x.id !== id));
  }, []);
  const arm = useCallback(
    (t: Toast) => {
      window.clearTimeout(timers.current.get(t.id));
      const ms = t.tone === 'error' ? ERROR_MS : t.action ? UNDO_TOAST_MS : INFO_MS;
      timers.current.set(
        t.id,
        window.setTimeout(() => remove(t.id), ms),
      );
    },
    [remove],
  );
  const hold = useCallback((id: number) => {
    window.clearTimeout(timers.current.get(id));
    timers.current.delete(id);
  }, []);
  const push = useCallback(
    (text: string, tone: Toast['tone'], action?: Toast['action']) => {
      const toast: Toast = { id: next.current++, text, tone, action };
      setToasts((t) => {
        const kept = [...t.filter((x) => x.text !== text), toast];
        for (const gone of kept.slice(0, -4)) hold(gone.id);
        return kept.slice(-4);
      });
      arm(toast);
    },
    [arm, hold],
  );
  useEffect(() => {
    const all = timers.current;
    return () => all.forEach((t) => window.clearTimeout(t));
  }, []);
  const api = useMemo<ToastApi>(
    () => ({
      error: (t) => push(t, 'error'),
      info: (t) => push(t, 'info'),
      undo: (t, onUndo, o = {}) => push(t, 'info', { label: 'Undo', ariaLabel: o.ariaLabel, focus: o.focus, run: onUndo }),
    }),
    [push],
  );
  return (
    <ToastContext.Provider value={api}>
      {children}
      <div className="toasts" aria-live="polite">
        {toasts.map((t) => (
          <div
            key={t.id}
            className={`toast toast-${t.tone}`}
            role={t.tone === 'error' ? 'alert' : 'status'}
            onMouseEnter={() => hold(t.id)}
            onMouseLeave={(e) => !e.currentTarget.contains(document.activeElement) && arm(t)}
            onFocus={() => hold(t.id)}
            onBlur={(e) => !e.currentTarget.contains(e.relatedTarget as Node | null) && arm(t)}
          >
            <span>{t.text}</span>
            {t.action ? (
              <button
                type="button"
                className="chip-button toast-action"
                aria-label={t.action.ariaLabel}
                ref={t.action.focus ? (el) => el?.focus() : undefined}
                onClick={() => {
                  remove(t.id);
                  t.action?.run();
                }}
              >
                {t.action.label}
              </button>
            ) : null}
            <button type="button" className="icon-button" aria-label="Dismiss message" onClick={() => remove(t.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToast(): ToastApi {
  const ctx = useContext(ToastContext);
  if (!ctx) throw new Error('useToast outside ToastProvider');
  return ctx;
}
