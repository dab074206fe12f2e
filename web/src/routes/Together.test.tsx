import { QueryClient } from '@tanstack/react-query';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { keys } from '../api/queries';
import type { RecommendationFieldsFragment } from '../gql/graphql';
import { ME, NOT_READ, movie } from '../test/fixtures';
import { jsonResponse, renderApp } from '../test/render';
import Together from './Together';

afterEach(() => vi.unstubAllGlobals());

const ana = { id: '7', username: 'ana' };
const ben = { id: '8', username: 'ben' };
const pick = (id: string, title: string, reasons: string[]): RecommendationFieldsFragment => ({
  zone: 'TOGETHER',
  score: 0.9,
  modelVersion: 'v1',
  movie: movie(id, title),
  reasons: reasons.map((text, i) => ({
    kind: i === 0 ? 'FITS_EVERYONE' : 'MATCHES_VIBE',
    text,
    weight: 2 - i / 10,
    people: [],
    genres: [],
    movies: [],
    users: i === 0 ? [ana, ben] : [],
  })),
  fits: [
    { user: ana, score: 0.97, tasteKnown: true },
    { user: ben, score: 0.96, tasteKnown: true },
  ],
});

const confident = { confident: true, message: null, suggestions: [], genres: ['Comedy'], avoidGenres: [], avoidTopics: [] };
const notRead = NOT_READ;

interface Sent {
  query: string;
  variables: Record<string, unknown>;
}

function stub(answer: (vibe: string) => unknown) {
  const sent: Sent[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
      const body = JSON.parse(String(init?.body)) as Sent;
      sent.push(body);
      if (body.query.includes('query TogetherWithMood')) {
        return jsonResponse({ data: { togetherWithMood: answer(String(body.variables.vibe)) } });
      }
      return jsonResponse({ data: { together: [pick('949', 'Heat', ['Fits everyone: top 3% for ana, top 4% for ben.'])] } });
    }),
  );
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  client.setQueryData(keys.me, ME);
  renderApp(<Together />, { client });
  return sent;
}

describe('Together with a mood', () => {
  it('asks for the group list in the typed mood and shows its picks with both reasons and how it was read', async () => {
    const sent = stub(() => ({
      picks: [pick('9', 'Groundhog Day', ['Fits everyone: top 2% for ana, top 5% for ben.', 'Its story matches “rainy sunday”.'])],
      reading: confident,
    }));
    expect(await screen.findByRole('article', { name: 'Heat' })).toBeInTheDocument();   // no mood: the plain list
    expect(sent.some((s) => s.query.includes('query TogetherWithMood'))).toBe(false);

    await userEvent.type(screen.getByLabelText('In the mood for (optional)'), '  cosy comedy for a rainy sunday ');
    await userEvent.click(screen.getByRole('button', { name: 'Find films' }));

    const card = await screen.findByRole('article', { name: 'Groundhog Day' });
    await userEvent.click(within(card).getByRole('button', { name: 'Why Groundhog Day?' }));
    expect(within(card).getByText('Its story matches “rainy sunday”.')).toBeInTheDocument();
    expect(screen.queryByRole('article', { name: 'Heat' })).toBeNull();
    expect(screen.getByRole('heading', { name: 'Tonight, together: “cosy comedy for a rainy sunday”' })).toBeInTheDocument();
    expect(screen.getByText(/Read as:/)).toHaveTextContent('Read as: Comedy');
    const asked = sent.filter((s) => s.query.includes('query TogetherWithMood'));
    expect(asked.map((s) => [s.variables.vibe, s.variables.userIds])).toEqual([['cosy comedy for a rainy sunday', ['8']]]);

    await userEvent.click(screen.getByRole('button', { name: 'Any mood' }));   // back to the plain list
    expect(await screen.findByRole('article', { name: 'Heat' })).toBeInTheDocument();
  });

  it('says when the mood cannot be read, shows no picks and asks for a suggestion on a click', async () => {
    const sent = stub((vibe) =>
      vibe === 'blorp zindle'
        ? { picks: [], reading: notRead }
        : { picks: [pick('500', 'Reservoir Dogs', ['Fits everyone.', 'Its story matches “tense heist”.'])], reading: { ...confident, genres: ['Crime'] } },
    );
    await userEvent.type(await screen.findByLabelText('In the mood for (optional)'), 'blorp zindle');
    await userEvent.click(screen.getByRole('button', { name: 'Find films' }));

    expect(await screen.findByText(/We could not find a mood in that/)).toBeInTheDocument();
    expect(screen.queryByRole('article')).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'a tense heist thriller, not too long' }));
    expect(await screen.findByRole('article', { name: 'Reservoir Dogs' })).toBeInTheDocument();
    expect(screen.getByLabelText('In the mood for (optional)')).toHaveValue('a tense heist thriller, not too long');
    expect(sent.filter((s) => s.query.includes('query TogetherWithMood')).map((s) => s.variables.vibe)).toEqual([
      'blorp zindle',
      'a tense heist thriller, not too long',
    ]);
  });

  it('counts a long mood instead of cutting it, and never sends one over the limit', async () => {
    const sent = stub(() => ({ picks: [], reading: confident }));
    const box = await screen.findByLabelText('In the mood for (optional)');
    const long = 'a slow dreamy film '.repeat(32).trim();   // 607 characters
    await userEvent.click(box);
    await userEvent.paste(long);
    expect(box).toHaveValue(long);                          // not cut at 500
    expect(screen.getByText(`${long.length} / 500`)).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent(`Keep it under 500 characters: this is ${long.length}.`);
    await userEvent.click(screen.getByRole('button', { name: 'Find films' }));
    expect(sent.some((s) => s.query.includes('query TogetherWithMood'))).toBe(false);
  });
});
