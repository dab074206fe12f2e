import { act, fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { StarRating } from './StarRating';

function Controlled({ onChange, initial = null, delay = 0 }: { onChange: (v: number | null) => void; initial?: number | null; delay?: number }) {
  const [value, setValue] = useState<number | null>(initial);
  return (
    <StarRating
      label="Your rating of Heat"
      value={value}
      commitDelayMs={delay}
      onChange={(v) => {
        setValue(v);
        onChange(v);
      }}
    />
  );
}

describe('StarRating', () => {
  it('is a labelled slider that starts unrated', () => {
    render(<Controlled onChange={() => {}} />);
    const slider = screen.getByRole('slider', { name: 'Your rating of Heat' });
    expect(slider).toHaveAttribute('aria-valuenow', '0');
    expect(slider).toHaveAttribute('aria-valuetext', 'Not rated');
  });

  it('moves in half stars with the arrow keys', async () => {
    const onChange = vi.fn();
    const user = userEvent.setup();
    render(<Controlled onChange={onChange} />);
    const slider = screen.getByRole('slider');
    slider.focus();
    await user.keyboard('{ArrowRight}{ArrowRight}{ArrowRight}');
    expect(slider).toHaveAttribute('aria-valuenow', '1.5');
    expect(slider).toHaveAttribute('aria-valuetext', '1.5 of 5 stars');
    await user.keyboard('{ArrowLeft}');
    expect(slider).toHaveAttribute('aria-valuenow', '1');
    expect(onChange).toHaveBeenLastCalledWith(1);
  });

  it('jumps with Home, End, digits, and clears with Delete', async () => {
    const onChange = vi.fn();
    const user = userEvent.setup();
    render(<Controlled onChange={onChange} initial={3} />);
    const slider = screen.getByRole('slider');
    slider.focus();
    await user.keyboard('{End}');
    expect(onChange).toHaveBeenLastCalledWith(5);
    await user.keyboard('{Home}');
    expect(onChange).toHaveBeenLastCalledWith(0.5);
    await user.keyboard('4');
    expect(onChange).toHaveBeenLastCalledWith(4);
    await user.keyboard('{Delete}');
    expect(onChange).toHaveBeenLastCalledWith(null);
    expect(slider).toHaveAttribute('aria-valuetext', 'Not rated');
  });

  it('stays within ½-5', async () => {
    const onChange = vi.fn();
    const user = userEvent.setup();
    render(<Controlled onChange={onChange} initial={5} />);
    const slider = screen.getByRole('slider');
    slider.focus();
    await user.keyboard('{ArrowUp}{PageUp}');
    expect(slider).toHaveAttribute('aria-valuenow', '5');
    await user.keyboard('{Home}{ArrowDown}');
    expect(slider).toHaveAttribute('aria-valuenow', '0.5');
  });

  it('saves once after a burst of key presses', () => {
    vi.useFakeTimers();
    try {
      const onChange = vi.fn();
      render(<Controlled onChange={onChange} delay={500} />);
      const slider = screen.getByRole('slider');
      for (let i = 0; i < 7; i++) fireEvent.keyDown(slider, { key: 'ArrowRight' });
      expect(slider).toHaveAttribute('aria-valuenow', '3.5'); // shown at once
      expect(onChange).not.toHaveBeenCalled();
      act(() => {
        vi.advanceTimersByTime(500);
      });
      expect(onChange).toHaveBeenCalledTimes(1);
      expect(onChange).toHaveBeenCalledWith(3.5);
    } finally {
      vi.useRealTimers();
    }
  });

  it('clears with the clear button', async () => {
    const onChange = vi.fn();
    const user = userEvent.setup();
    render(<Controlled onChange={onChange} initial={2.5} />);
    await user.click(screen.getByRole('button', { name: 'Clear your rating of Heat' }));
    expect(onChange).toHaveBeenCalledWith(null);
  });
});

describe('StarRating focus', () => {
  it('saves a pending keyboard change at once when focus leaves', () => {
    const onChange = vi.fn();
    render(<Controlled onChange={onChange} delay={10_000} />);
    const slider = screen.getByRole('slider');
    fireEvent.keyDown(slider, { key: '3' });
    expect(onChange).not.toHaveBeenCalled();
    fireEvent.blur(slider);
    expect(onChange).toHaveBeenCalledWith(3);
  });
});
