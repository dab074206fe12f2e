import { QueryClient } from '@tanstack/react-query';
import { act, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { keys } from '../api/queries';
import { ME, movie } from '../test/fixtures';
import { jsonResponse, renderApp } from '../test/render';
import Search from './Search';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const hanks = { id: '31', name: 'Tom Hanks' };
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
    expect(within(gump).getByText((_, el) => el?.textContent === 'With Tom Hanks' && el.tagName === 'P')).toBeInTheDocument();
    expect(within(gump).getByRole('link', { name: 'Tom Hanks' })).toHaveAttribute('href', '/person/31');
    const directed = screen.getByRole('article', { name: 'That Thing You Do!' });
    expect(within(directed).getByText((_, el) => el?.textContent === 'Directed by Tom Hanks' && el.tagName === 'P')).toBeInTheDocument();
    const horn = screen.getByRole('article', { name: 'Tom Horn' });
    expect(within(horn).queryByText(/Tom Hanks/)).toBeNull();
    expect(sent.find((q) => q.includes('query SearchMovies'))).toMatch(/matchedPerson\s*{\s*role\s*person\s*{\s*id\s*name/);
  });
});

describe('Search offline', () => {
  const OFFLINE = "You're offline: these results may be out of date.";

  /** Search answers until `down()`; then every request fails as fetch does with no network. */
  function setup(client: QueryClient) {
    let up = true;
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
        if (!up) throw new TypeError('Failed to fetch');
        const { query } = JSON.parse(String(init?.body)) as { query: string };
        return jsonResponse(query.includes('query SearchMovies') ? searchAnswer : { data: { genres: [] } });
      }),
    );
    client.setQueryData(keys.me, ME);
    renderApp(<Search />, { client });
    return { down: () => (up = false) };
  }

  const searchFor = (text: string) => {
    fireEvent.change(screen.getByLabelText('Search films'), { target: { value: text } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
  };

  it('says the network is gone above the kept results at the first failure, while the query still retries', async () => {
    // As in main.tsx: a network failure is retried, here with a long delay so `error` stays null.
    const client = new QueryClient({ defaultOptions: { queries: { retry: 2, retryDelay: 60_000, staleTime: Infinity } } });
    const { down } = setup(client);
    expect(await screen.findByRole('article', { name: 'Forrest Gump' })).toBeInTheDocument();
    expect(screen.queryByText(OFFLINE)).toBeNull();

    down();
    searchFor('hanks');
    const note = await screen.findByText(OFFLINE);
    expect(note).toHaveAttribute('role', 'status');
    expect(screen.getByRole('article', { name: 'Forrest Gump' })).toBeInTheDocument(); // kept, below the note
    expect(note.compareDocumentPosition(screen.getByRole('list'))).toBe(Node.DOCUMENT_POSITION_FOLLOWING);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('says it when the browser reports being offline, and stops saying it when it is back', async () => {
    const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
    setup(client);
    expect(await screen.findByRole('article', { name: 'Forrest Gump' })).toBeInTheDocument();
    const onLine = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    act(() => void window.dispatchEvent(new Event('offline')));
    expect(screen.getByText(OFFLINE)).toHaveAttribute('role', 'status');
    onLine.mockReturnValue(true);
    act(() => void window.dispatchEvent(new Event('online')));
    expect(screen.queryByText(OFFLINE)).toBeNull();
  });
});
