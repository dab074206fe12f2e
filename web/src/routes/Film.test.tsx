import { QueryClient } from '@tanstack/react-query';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { keys } from '../api/queries';
import type { RecommendationFieldsFragment } from '../gql/graphql';
import { GEM_SCALE, ME, movie } from '../test/fixtures';
import { jsonResponse, renderApp } from '../test/render';
import { Route, Routes } from 'react-router';
import Film, { ALL_ZERO_MESSAGE, GemsTwin, MoreLikeThis } from './Film';

const rec = (id: string, title: string, zone: RecommendationFieldsFragment['zone']): RecommendationFieldsFragment => ({
  zone,
  score: 0.8,
  modelVersion: 'v1',
  movie: movie(id, title),
  reasons: [],
  fits: [],
});

interface Sent {
  query: string;
  variables: Record<string, unknown>;
}

afterEach(() => vi.unstubAllGlobals());

/** A fake gateway: `answer` gets each request's query text and variables. */
function setup(ui: React.ReactElement, answer: (body: Sent) => unknown, url?: string) {
  const sent: Sent[] = [];
  const fetchMock = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body)) as Sent;
    sent.push(body);
    return jsonResponse(answer(body));
  });
  vi.stubGlobal('fetch', fetchMock);
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  client.setQueryData(keys.me, ME);
  return { ...renderApp(ui, { client, ...(url ? { url } : {}) }), sent };
}

const similarAnswer = ({ query }: Sent) =>
  query.includes('query Similar') ? { data: { similar: [rec('1', 'Ronin', 'SIMILAR'), rec('2', 'Thief', 'SIMILAR')] } } : { data: null };

const zeroAll = () => {
  for (const name of [/Story/, /People/, /Style/, /Genre/]) fireEvent.change(screen.getByRole('slider', { name }), { target: { value: '0' } });
};

describe('More like this', () => {
  it('sends no query when every axis is at 0 and says why instead of a list', async () => {
    const { sent } = setup(<MoreLikeThis movieId="949" />, similarAnswer);
    const row = screen.getByRole('region', { name: 'More like this' });
    expect(await within(row).findByRole('article', { name: 'Ronin' })).toBeInTheDocument();
    expect(sent[0]?.variables).toMatchObject({ movieId: '949', weights: null });

    zeroAll();
    expect(within(row).getByText(ALL_ZERO_MESSAGE)).toHaveAttribute('role', 'status'); // at once, before the debounce
    expect(within(row).queryByRole('article')).toBeNull();
    await new Promise((r) => setTimeout(r, 400)); // past the 250 ms debounce
    expect(within(row).queryByRole('article')).toBeNull();
    const allZero = sent.filter((b) => {
      const w = b.variables.weights as Record<string, number> | null;
      return w !== null && Object.values(w).every((v) => v === 0);
    });
    expect(allZero).toEqual([]);

    // One axis back above zero: the list returns, asked with that weight.
    fireEvent.change(screen.getByRole('slider', { name: /Genre/ }), { target: { value: '2' } });
    expect(within(row).queryByText(ALL_ZERO_MESSAGE)).toBeNull();
    await waitFor(() => expect(sent.at(-1)?.variables.weights).toEqual({ story: 0, people: 0, style: 0, genre: 2 }));
    expect(await within(row).findByRole('article', { name: 'Ronin' })).toBeInTheDocument();
  });

  it("shows the API's BAD_USER_INPUT message in the error box", async () => {
    const refusal = 'all axis weights are zero: give at least one axis (story, people, style, genre) a weight above zero, or none for the defaults';
    setup(<MoreLikeThis movieId="949" />, (body) =>
      body.variables.weights
        ? { data: null, errors: [{ message: refusal, path: ['similar'], extensions: { code: 'BAD_USER_INPUT' } }] }
        : similarAnswer(body),
    );
    await screen.findByRole('article', { name: 'Ronin' });
    fireEvent.change(screen.getByRole('slider', { name: /Story/ }), { target: { value: '3' } });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      'All axis weights are zero: give at least one axis (story, people, style, genre) a weight above zero, or none for the defaults.',
    );
  });
});

describe('Hidden gems like this', () => {
  const gemsAnswer = ({ query }: Sent) =>
    query.includes('query GemCeilingScale')
      ? { data: { gemCeilingScale: GEM_SCALE } }
      : query.includes('query HiddenGems')
        ? { data: { hiddenGems: [rec('3', 'Blue Ruin', 'HIDDEN_GEMS')] } }
        : { data: null };

  it("takes the slider's range, step and default from gemCeilingScale and says the ceiling in votes", async () => {
    const { sent } = setup(<GemsTwin movieId="949" />, gemsAnswer);
    const slider = await screen.findByRole('slider', { name: 'Obscurity' });
    expect(slider).toHaveAttribute('min', '10');
    expect(slider).toHaveAttribute('max', '65');
    expect(slider).toHaveAttribute('step', '5');
    expect(slider).toHaveValue('25');
    expect(slider).toHaveAttribute('aria-valuetext', 'at most 830 votes');
    const row = screen.getByRole('region', { name: 'Hidden gems like this' });
    expect(row.querySelector('output')).toHaveTextContent(/^at most 830 votes$/);
    expect(await within(row).findByRole('article', { name: 'Blue Ruin' })).toBeInTheDocument();
    const gems = () => sent.filter((b) => b.query.includes('query HiddenGems'));
    expect(gems().map((b) => b.variables.maxPopularityPercentile)).toEqual([75]); // the default, asked once
    expect(sent.filter((b) => b.query.includes('query GemCeilingScale'))).toHaveLength(1);

    fireEvent.change(slider, { target: { value: '60' } });
    expect(slider).toHaveAttribute('aria-valuetext', 'at most 220 votes');
    expect(row.querySelector('output')).toHaveTextContent('at most 220 votes');
    expect(row).toHaveTextContent('little known (at most 220 votes)');
    await waitFor(() => expect(gems().at(-1)?.variables.maxPopularityPercentile).toBe(40));
  });

  it('still lists gems, at the recommender’s ceiling, when the scale cannot be loaded', async () => {
    const { sent } = setup(<GemsTwin movieId="949" />, (body) =>
      body.query.includes('query GemCeilingScale')
        ? { data: null, errors: [{ message: 'Internal server error.', extensions: { code: 'INTERNAL' } }] }
        : gemsAnswer(body),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent("Couldn't load the obscurity slider.");
    expect(await screen.findByRole('article', { name: 'Blue Ruin' })).toBeInTheDocument();
    expect(sent.find((b) => b.query.includes('query HiddenGems'))?.variables.maxPopularityPercentile).toBeNull();
  });
});

describe('A film we do not have', () => {
  const notFound = { data: { movie: null }, errors: [{ message: 'No movie with id 999999999.', path: ['movie'], extensions: { code: 'NOT_FOUND' } }] };

  it.each([
    ['an unknown id (NOT_FOUND)', '999999999', notFound],
    ['an id that cannot be a film (BAD_USER_INPUT)', 'abc', { data: null, errors: [{ message: "Invalid movie id 'abc': expected a positive integer.", path: ['movie'], extensions: { code: 'BAD_USER_INPUT' } }] }],
    ['movie: null without an error', '999999998', { data: { movie: null } }],
  ])('gets a not-found page for %s: links to search and home, no retry, no open signal, no toast', async (_what, id, answer) => {
    const { sent } = setup(
      <Routes>
        <Route path="/film/:id" element={<Film />} />
      </Routes>,
      ({ query }) => (query.includes('query Movie(') ? answer : { data: { openMovie: true } }),
      `/film/${id}`,
    );
    expect(await screen.findByRole('heading', { level: 1, name: 'We don’t have that film' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Search the catalogue' })).toHaveAttribute('href', '/search');
    expect(screen.getByRole('link', { name: 'go to your recommendations' })).toHaveAttribute('href', '/');
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
    await new Promise((r) => setTimeout(r, 400)); // past the open signal's 300 ms
    expect(sent.filter((b) => b.query.includes('mutation OpenMovie'))).toEqual([]);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.queryByText(/couldn't note/)).toBeNull();
    expect(document.title).toBe('Not found · movierec');
  });
});
