import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { NOT_READ } from '../test/fixtures';
import { VibeNotUnderstood, VibeReadAs } from './VibeNotUnderstood';

const notRead = NOT_READ;

describe('Vibe reading', () => {
  it('says the text could not be read and offers moods that are asked for on a click', async () => {
    const onTry = vi.fn();
    render(<VibeNotUnderstood reading={notRead} onTry={onTry} />);
    expect(screen.getByRole('status')).toHaveTextContent('We could not find a mood in that.');
    await userEvent.click(screen.getByRole('button', { name: 'a heartwarming dog movie, nothing scary' }));
    expect(onTry).toHaveBeenCalledWith('a heartwarming dog movie, nothing scary');
  });

  it('names what a confident text was read to ask for and to keep out', () => {
    render(
      <VibeReadAs
        reading={{ ...notRead, confident: true, message: null, suggestions: [], genres: ['Thriller'], avoidGenres: ['Horror'], avoidTopics: ['gore'] }}
      />,
    );
    expect(screen.getByText(/Read as:/)).toHaveTextContent('Read as: Thrillerno Horrorno gore');
  });

  it('shows nothing for a confident text that asks for no genre', () => {
    const { container } = render(<VibeReadAs reading={{ ...notRead, confident: true, message: null, suggestions: [] }} />);
    expect(container).toBeEmptyDOMElement();
  });
});
