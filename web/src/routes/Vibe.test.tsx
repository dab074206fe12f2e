import { QueryClient } from '@tanstack/react-query';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { keys } from '../api/queries';
import type { RecommendationFieldsFragment } from '../gql/graphql';
import { ME, movie } from '../test/fixtures';
import { jsonResponse, renderApp } from '../test/render';
import Vibe from './Vibe';

afterEach(() => vi.unstubAllGlobals());

const confident = { confident: true, message: null, suggestions: [], genres: ['Crime'], avoidGenres: [], avoidTopics: [] };
const rec = (id: string, title: string): RecommendationFieldsFragment => ({
  zone: 'VIBE',
  score: 0.8,
  modelVersion: 'v1',
  movie: movie(id, title),
  reasons: [],
  fits: [],
});

function setup(url?: string) {
  const sent: { query: string; variables: Record<string, unknown> }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
      const body = JSON.parse(String(init?.body)) as { query: string; variables: Record<string, unknown> };
      sent.push(body);
      return jsonResponse(
        body.query.includes('query Vibe')
          ? { data: { vibe: { picks: [rec('500', 'Reservoir Dogs')], reading: confident } } }
          : { data: null },
      );
    }),
  );
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  client.setQueryData(keys.me, ME);
  renderApp(<Vibe />, { client, ...(url ? { url } : {}) });
  return { vibes: () => sent.filter((b) => b.query.includes('query Vibe')) };
}

describe('Vibe', () => {
  it('keeps a 600-character text whole, counts it, says it is too long and sends nothing', async () => {
    const { vibes } = setup();
    const box = screen.getByLabelText('Describe the mood');
    expect(box).not.toHaveAttribute('maxLength');
    expect(screen.getByText('0 / 500')).toBeInTheDocument();

    fireEvent.change(box, { target: { value: 'a'.repeat(600) } });
    expect(box).toHaveValue('a'.repeat(600)); // not cut at 500
    expect(screen.getByText('600 / 500')).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('Keep it under 500 characters: this is 600.');
    expect(box).toHaveAttribute('aria-invalid', 'true');
    fireEvent.click(screen.getByRole('button', { name: 'Find films' }));
    await new Promise((r) => setTimeout(r, 50));
    expect(vibes()).toEqual([]);
    expect(screen.queryByRole('alert')).toBeNull();

    // Counted after trimming: 500 characters with spaces around them are fine and are sent.
    fireEvent.change(box, { target: { value: `  ${'a'.repeat(500)}  ` } });
    expect(screen.getByText('500 / 500')).toBeInTheDocument();
    expect(screen.queryByText(/Keep it under/)).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Find films' }));
    expect(await screen.findByRole('article', { name: 'Reservoir Dogs' })).toBeInTheDocument();
    expect(vibes().map((b) => b.variables.text)).toEqual(['a'.repeat(500)]);
  });

  it('answers a too-long text from the URL with the same message, not an error box with a retry', async () => {
    const { vibes } = setup(`/vibe?q=${'b'.repeat(512)}`);
    expect(screen.getByLabelText('Describe the mood')).toHaveValue('b'.repeat(512));
    expect(screen.getByText('512 / 500')).toBeInTheDocument();
    expect(screen.getByText('Keep it under 500 characters: this is 512.')).toBeInTheDocument();
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
    expect(vibes()).toEqual([]);
  });

  it('still asks for a text within the limit from the URL', async () => {
    const { vibes } = setup('/vibe?q=tense+heist');
    expect(await screen.findByRole('article', { name: 'Reservoir Dogs' })).toBeInTheDocument();
    await waitFor(() => expect(vibes().map((b) => b.variables.text)).toEqual(['tense heist']));
    expect(screen.queryByText(/Keep it under/)).toBeNull();
  });
});
