import { QueryClient } from '@tanstack/react-query';
import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { keys } from '../api/queries';
import { ME, movie } from '../test/fixtures';
import { jsonResponse, renderApp } from '../test/render';
import Search from './Search';

afterEach(() => vi.unstubAllGlobals());

const hanks = { name: 'Tom Hanks' };
const searchAnswer = {
  data: {
    searchMovies: {
      totalCount: 3,
      pageInfo: { hasNextPage: false, endCursor: 'c' },
      edges: [
        { node: movie('13', 'Forrest Gump'), matchedPerson: { role: 'cast', person: hanks } },
        { node: movie('11688', 'That Thing You Do!'), matchedPerson: { role: 'director', person: hanks } },
        { node: movie('5917', 'Tom Horn'), matchedPerson: null },
      ],
    },
  },
};

describe('Search', () => {
  it('says on a card through whom the film matched, and nothing on a title match', async () => {
    const sent: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
        const { query } = JSON.parse(String(init?.body)) as { query: string };
        sent.push(query);
        return jsonResponse(query.includes('query SearchMovies') ? searchAnswer : { data: { genres: [] } });
      }),
    );
    const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
    client.setQueryData(keys.me, ME);
    renderApp(<Search />, { client });

    const gump = await screen.findByRole('article', { name: 'Forrest Gump' });
    expect(within(gump).getByText('With Tom Hanks')).toBeInTheDocument();
    const directed = screen.getByRole('article', { name: 'That Thing You Do!' });
    expect(within(directed).getByText('Directed by Tom Hanks')).toBeInTheDocument();
    const horn = screen.getByRole('article', { name: 'Tom Horn' });
    expect(within(horn).queryByText(/Tom Hanks/)).toBeNull();
    expect(sent.find((q) => q.includes('query SearchMovies'))).toMatch(/matchedPerson\s*{\s*role\s*person\s*{\s*name/);
  });
});
