import { QueryClient } from '@tanstack/react-query';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { keys } from '../api/queries';
import { ZoneRow } from '../components/ZoneRow';
import type { RecommendationFieldsFragment } from '../gql/graphql';
import { movie } from '../test/fixtures';
import { deferred, jsonResponse, renderApp } from '../test/render';
import type { Me } from './userState';

const rec = (id: string, title: string): RecommendationFieldsFragment => ({
  zone: 'FOR_YOU',
  score: 1,
  modelVersion: 'v1',
  movie: movie(id, title),
  reasons: [{ kind: 'WELL_RATED', text: 'Rated well by those who have seen it.', weight: 1, people: [], genres: [], movies: [], users: [] }],
  fits: [],
});
const ME: Me = {
  id: '7',
  username: 'ana',
  partners: [],
  state: { ratings: [], favoriteIds: [], watchlistIds: [], watchlist: [], watchedIds: [], dismissedIds: [] },
};
const recs = [rec('949', 'Heat'), rec('680', 'Pulp Fiction')];
const query = { data: recs, error: null, isPending: false, isFetching: false, isPlaceholderData: false, refetch: vi.fn() };

afterEach(() => vi.unstubAllGlobals());

function setup() {
  const response = deferred<Response>();
  const fetchMock = vi.fn((_url: RequestInfo | URL, _init?: RequestInit) => response.promise);
  vi.stubGlobal('fetch', fetchMock);
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  client.setQueryData(keys.me, ME); // the signed-in state, already loaded
  const view = renderApp(<ZoneRow title="For you" query={query} />, { client });
  return { ...view, response, fetchMock };
}

describe('optimistic film actions', () => {
  it('hides a dismissed film at once and sends the zone it came from', async () => {
    const user = userEvent.setup();
    const { fetchMock, response, qc } = setup();
    const row = screen.getByRole('region', { name: 'For you' });
    expect(within(row).getByRole('article', { name: 'Heat' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Not interested in Heat' }));
    expect(within(row).queryByRole('article', { name: 'Heat' })).not.toBeInTheDocument(); // before the server answered
    expect(within(row).getByRole('article', { name: 'Pulp Fiction' })).toBeInTheDocument();

    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1));
    const body = JSON.parse(String(fetchMock.mock.calls[0]?.[1]?.body)) as { query: string; variables: unknown };
    expect(body.query).toContain('dismissMovie');
    expect(body.variables).toEqual({ movieId: '949', zone: 'FOR_YOU' });

    response.resolve(jsonResponse({ data: { dismissMovie: true } }));
    await waitFor(() => expect(qc.getQueryData<Me>(keys.me)?.state.dismissedIds).toEqual(['949']));
    expect(within(row).queryByRole('article', { name: 'Heat' })).not.toBeInTheDocument();
  });

  it('brings the film back and says why in plain words when the API refuses', async () => {
    const user = userEvent.setup();
    const { response, qc } = setup();
    await user.click(screen.getByRole('button', { name: 'Not interested in Heat' }));
    expect(screen.queryByRole('article', { name: 'Heat' })).not.toBeInTheDocument();

    vi.stubGlobal('fetch', vi.fn(async () => jsonResponse({ data: { me: ME } }))); // the refetch after the error
    response.resolve(jsonResponse({ data: null, errors: [{ message: 'Internal server error.', extensions: { code: 'INTERNAL' } }] }));

    expect(await screen.findByRole('article', { name: 'Heat' })).toBeInTheDocument();
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent("Couldn't hide the film. Something went wrong on our side.");
    expect(qc.getQueryData<Me>(keys.me)?.state.dismissedIds).toEqual([]);
  });

  it('Seen it sends markWatched with the zone, the card says Seen (disabled), then the film leaves the zone', async () => {
    const user = userEvent.setup();
    const { fetchMock, response, qc } = setup();
    const row = screen.getByRole('region', { name: 'For you' });
    await user.click(within(row).getByRole('button', { name: 'Seen it: mark Heat as watched' }));
    const seen = within(row).getByRole('button', { name: 'Seen Heat' });
    expect(seen).toBeDisabled();
    expect(seen).toHaveTextContent('Seen');

    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1));
    const body = JSON.parse(String(fetchMock.mock.calls[0]?.[1]?.body)) as { query: string; variables: unknown };
    expect(body.query).toContain('markWatched');
    expect(body.variables).toEqual({ movieId: '949', zone: 'FOR_YOU' });
    response.resolve(jsonResponse({ data: { markWatched: true } }));
    await waitFor(() => expect(qc.getQueryData<Me>(keys.me)?.state.watchedIds).toEqual(['949']));
    // it leaves the zone shortly after (SEEN_LEAVE_MS), as the API leaves seen films out of fresh answers
    await waitFor(() => expect(within(row).queryByRole('article', { name: 'Heat' })).not.toBeInTheDocument(), { timeout: 4000 });
    expect(within(row).getByRole('article', { name: 'Pulp Fiction' })).toBeInTheDocument();
  });

  it('Not interested offers Undo in a toast: it sends undismissMovie and the card comes back', async () => {
    const user = userEvent.setup();
    const { fetchMock, response, qc } = setup();
    const row = screen.getByRole('region', { name: 'For you' });
    await user.click(within(row).getByRole('button', { name: 'Not interested in Heat' }));
    expect(within(row).queryByRole('article', { name: 'Heat' })).not.toBeInTheDocument();
    const toast = screen.getByRole('status');
    expect(toast).toHaveTextContent('Removed Heat.');
    response.resolve(jsonResponse({ data: { dismissMovie: true } }));
    await waitFor(() => expect(qc.getQueryData<Me>(keys.me)?.state.dismissedIds).toEqual(['949']));

    fetchMock.mockImplementation(async () => jsonResponse({ data: { undismissMovie: true } }));
    await user.click(within(toast).getByRole('button', { name: 'Undo: bring back Heat' }));
    expect(await within(row).findByRole('article', { name: 'Heat' })).toBeInTheDocument();
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(2));
    const body = JSON.parse(String(fetchMock.mock.calls[1]?.[1]?.body)) as { query: string; variables: unknown };
    expect(body.query).toContain('undismissMovie');
    expect(body.variables).toEqual({ movieId: '949', zone: 'FOR_YOU' });
    await waitFor(() => expect(qc.getQueryData<Me>(keys.me)?.state.dismissedIds).toEqual([]));
  });

  it('from the keyboard, Not interested hands the focus to Undo, and Undo hands it back to the card', async () => {
    const user = userEvent.setup();
    const { fetchMock, response } = setup();
    const row = screen.getByRole('region', { name: 'For you' });
    within(row).getByRole('button', { name: 'Not interested in Heat' }).focus();
    await user.keyboard('{Enter}');
    const undo = screen.getByRole('button', { name: 'Undo: bring back Heat' });
    expect(undo).toHaveFocus();
    response.resolve(jsonResponse({ data: { dismissMovie: true } }));
    fetchMock.mockImplementation(async () => jsonResponse({ data: { undismissMovie: true } }));
    await user.keyboard('{Enter}');
    await waitFor(() => expect(within(row).getByRole('link', { name: 'Heat' })).toHaveFocus());
  });
});
