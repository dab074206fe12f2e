import { QueryClient } from '@tanstack/react-query';
import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { keys } from '../api/queries';
import { ME, movie } from '../test/fixtures';
import { jsonResponse, renderApp } from '../test/render';
import type { Me } from '../lib/userState';
import Home from './Home';

afterEach(() => vi.unstubAllGlobals());

function renderHome(me: Me) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  qc.setQueryData(keys.me, me);
  qc.setQueryData(keys.forYou, []);
  qc.setQueryData(keys.hiddenGems(null, null), []);
  qc.setQueryData(keys.together(['8']), []);
  const asked: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
      const body = JSON.parse(String(init?.body)) as { variables: { movieId?: string } };
      if (body.variables.movieId) asked.push(body.variables.movieId);
      return jsonResponse({ data: { similar: [] } });
    }),
  );
  renderApp(<Home />, { client: qc });
  return asked;
}

const rating = (id: string, title: string, ratedAt: string) => ({ movieId: id, value: 4.5, ratedAt, movie: movie(id, title) });

describe('Home (issue 16)', () => {
  it('does not tell a user with no ratings that For you comes from their ratings', () => {
    renderHome(ME);
    const forYou = screen.getByRole('region', { name: 'For you' });
    expect(within(forYou).queryByText(/from your ratings/i)).toBeNull();
    expect(within(forYou).getByText(/^Well-rated films across genres/)).toBeInTheDocument();
  });

  it('says From your ratings once there are enough of them', () => {
    const ratings = ['1', '2', '3', '4', '5'].map((id) => rating(id, `Film ${id}`, `2024-01-0${id}`));
    renderHome({ ...ME, state: { ...ME.state, ratings } });
    expect(within(screen.getByRole('region', { name: 'For you' })).getByText('From your ratings and people who rate like you.')).toBeInTheDocument();
  });

  it('anchors More like on the latest favourite (the first of favoriteIds, as the server sends them)', async () => {
    const state = {
      ...ME.state,
      favoriteIds: ['8', '9'], // 8 favourited after 9
      ratings: [rating('8', 'Heat', '2024-01-01'), rating('9', 'Alien', '2024-02-01')],
    };
    const asked = renderHome({ ...ME, state });
    expect(await screen.findByRole('heading', { name: 'More like Heat' })).toBeInTheDocument();
    await vi.waitFor(() => expect(asked).toEqual(['8']));
  });
});
