import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ToastProvider, UNDO_TOAST_MS, useToast } from './Toasts';

let api: ReturnType<typeof useToast>;
function Grab() {
  api = useToast();
  return <button type="button">page</button>;
}
const show = () => render(<ToastProvider><Grab /></ToastProvider>);

afterEach(() => vi.useRealTimers());

describe('undo toast', () => {
  it('is announced (role status), offers Undo, runs it once and closes', async () => {
    const user = userEvent.setup();
    show();
    const onUndo = vi.fn();
    act(() => api.undo('Removed Heat.', onUndo, { ariaLabel: 'Undo: bring back Heat' }));
    const toast = screen.getByRole('status');
    expect(toast).toHaveTextContent('Removed Heat.');
    expect(toast.closest('[aria-live]')).toHaveAttribute('aria-live', 'polite');
    await user.click(screen.getByRole('button', { name: 'Undo: bring back Heat' }));
    expect(onUndo).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
  });

  it('is reachable with Tab and does not take the focus unless asked', async () => {
    const user = userEvent.setup();
    show();
    screen.getByRole('button', { name: 'page' }).focus();
    act(() => api.undo('Removed Heat.', () => undefined, { ariaLabel: 'Undo: bring back Heat' }));
    expect(screen.getByRole('button', { name: 'page' })).toHaveFocus();
    await user.tab();
    expect(screen.getByRole('button', { name: 'Undo: bring back Heat' })).toHaveFocus();
    act(() => api.undo('Removed Heat again.', () => undefined, { ariaLabel: 'Undo: bring back Heat again', focus: true }));
    expect(screen.getByRole('button', { name: 'Undo: bring back Heat again' })).toHaveFocus();
  });

  it('goes after about 6 seconds, but not while the focus is in it', () => {
    vi.useFakeTimers();
    show();
    act(() => api.undo('Removed Heat.', () => undefined));
    act(() => vi.advanceTimersByTime(UNDO_TOAST_MS - 100));
    expect(screen.getByRole('status')).toBeInTheDocument();
    act(() => vi.advanceTimersByTime(200));
    expect(screen.queryByRole('status')).not.toBeInTheDocument();

    act(() => api.undo('Removed Se7en.', () => undefined));
    act(() => screen.getByRole('button', { name: 'Undo' }).focus());
    act(() => vi.advanceTimersByTime(UNDO_TOAST_MS * 3));
    expect(screen.getByRole('status')).toHaveTextContent('Removed Se7en.');
    act(() => screen.getByRole('button', { name: 'page' }).focus());
    act(() => vi.advanceTimersByTime(UNDO_TOAST_MS + 100));
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
    expect(UNDO_TOAST_MS).toBe(6000);
  });

  it('plain info toasts have no Undo', () => {
    show();
    act(() => api.info('Copied.'));
    expect(screen.getByRole('status')).toHaveTextContent('Copied.');
    expect(screen.queryByRole('button', { name: /Undo/ })).not.toBeInTheDocument();
  });
});
