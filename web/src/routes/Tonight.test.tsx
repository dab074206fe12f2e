import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EveningFieldsFragment } from '../gql/graphql';
import { movie } from '../test/fixtures';
import { jsonResponse, renderApp } from '../test/render';
import { saveGuest } from '../tonight/guest';
import EveningPage from './Evening';
import Join from './Join';

interface Sent {
  query: string;
  variables: Record<string, unknown>;
  authorization: string | null;
}

const EID = '9e1959bb-3c9a-4442-9013-4c6fd727cbbb';
const rec = (id: string, title: string) => ({
  zone: 'TOGETHER' as const,
  score: 0.9,
  modelVersion: 'v1',
  movie: movie(id, title),
  reasons: [],
  fits: [],
});
const ana = { name: 'ana', guest: false, host: true, user: { id: '7' } };
const sam = { name: 'Sam', guest: true, host: false, user: { id: 'g1' } };
const EVENING: EveningFieldsFragment = {
  id: EID,
  version: 4,
  mood: 'something funny',
  joinPath: '/join/AAAAAAAAAAAAAAAAAAAAAA',
  expiresAt: '2999-01-01T00:00:00Z',
  members: [ana, sam],
  me: { name: 'ana', user: { id: '7' } },
  picks: [
    { match: true, myVote: 'YES', votes: [{ vote: 'YES', member: ana }, { vote: 'YES', member: sam }], recommendation: rec('11', 'Heat') },
    { match: false, myVote: null, votes: [{ vote: 'NO', member: sam }], recommendation: rec('12', 'Fargo') },
  ],
};

function stub(answers: Record<string, unknown>) {
  const sent: Sent[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
      const body = JSON.parse(String(init?.body)) as Omit<Sent, 'authorization'>;
      const headers = (init?.headers ?? {}) as Record<string, string>;
      sent.push({ ...body, authorization: headers.authorization ?? null });
      const op = /\b(?:query|mutation) (\w+)/.exec(body.query)?.[1] ?? '';
      return jsonResponse({ data: answers[op] });
    }),
  );
  return sent;
}

const routes = (
  <Routes>
    <Route path="/tonight/:id" element={<EveningPage />} />
    <Route path="/join/:token" element={<Join />} />
  </Routes>
);

beforeEach(() => {
  vi.stubGlobal('WebSocket', undefined); // the live updates are the browser test's (e2e/tonight.test.mjs)
  localStorage.clear();
});
afterEach(() => vi.unstubAllGlobals());

describe('an evening', () => {
  it('shows the match to its members and sends each vote, a second press taking it back', async () => {
    const sent = stub({ Evening: { evening: EVENING }, VoteOnPick: { voteOnPick: { ...EVENING, version: 5 } } });
    renderApp(routes, { url: `/tonight/${EID}` });
    expect(await screen.findByTestId('match')).toHaveTextContent('It’s a match: Heat');
    expect(screen.getByTestId('share-link')).toHaveValue(`${window.location.origin}/join/AAAAAAAAAAAAAAAAAAAAAA`);
    const fargo = screen.getByRole('group', { name: 'Your vote on Fargo' });
    expect(screen.getByText('Sam: no')).toBeInTheDocument();
    await userEvent.click(within(fargo).getByRole('button', { name: 'Seen it' }));
    const heat = screen.getByRole('group', { name: 'Your vote on Heat' });
    expect(within(heat).getByRole('button', { name: 'Yes' })).toHaveAttribute('aria-pressed', 'true');
    await userEvent.click(within(heat).getByRole('button', { name: 'Yes' }));
    const votes = sent.filter((s) => s.query.includes('mutation VoteOnPick')).map((s) => s.variables);
    expect(votes).toEqual([
      { eveningId: EID, movieId: '12', vote: 'SEEN' },
      { eveningId: EID, movieId: '11', vote: null },
    ]);
    expect(sent.every((s) => s.authorization === 'Bearer access')).toBe(true);
  });

  it('says so when the evening has ended', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => jsonResponse({ data: null, errors: [{ message: 'ended', extensions: { code: 'NOT_FOUND' } }] })));
    renderApp(routes, { url: `/tonight/${EID}` });
    expect(await screen.findByRole('heading', { name: 'This evening has ended' })).toBeInTheDocument();
  });

  it('asks a guest for five quick ratings first, sent with the guest’s own token', async () => {
    saveGuest({ eveningId: EID, accessToken: 'guest-token', accessTokenExpiresAt: '2999-01-01T00:00:00Z', userId: 'g1', name: 'Sam', rated: 0 });
    const films = ['Up', 'Heat', 'Alien', 'Fargo', 'Jaws', 'Big'].map((t, i) => ({ movie: { id: String(100 + i), title: t, year: 1990, genres: ['Drama'] } }));
    const sent = stub({ GuestOnboarding: { onboarding: films }, GuestRate: { rateMovie: { value: 5 } }, Evening: { evening: EVENING } });
    renderApp(routes, { url: `/tonight/${EID}`, session: null });
    expect(await screen.findByRole('heading', { name: 'Hi Sam! Five quick films' })).toBeInTheDocument();
    await userEvent.click(within(await screen.findByRole('group', { name: 'What you thought of Up' })).getByRole('button', { name: 'Loved it' }));
    await userEvent.click(within(screen.getByRole('group', { name: 'What you thought of Heat' })).getByRole('button', { name: 'Haven’t seen it' }));
    expect(await screen.findByText('1 of 5 rated')).toBeInTheDocument();
    expect(screen.queryByRole('group', { name: 'What you thought of Heat' })).toBeNull();
    const rate = sent.find((s) => s.query.includes('mutation GuestRate'));
    expect(rate).toMatchObject({ variables: { movieId: '100', value: 5 }, authorization: 'Bearer guest-token' });
    await userEvent.click(screen.getByRole('button', { name: 'Skip to the picks' }));
    expect(await screen.findByTestId('match')).toBeInTheDocument();
    expect(sent.filter((s) => s.query.includes('query Evening')).every((s) => s.authorization === 'Bearer guest-token')).toBe(true);
  });
});

describe('a share link', () => {
  const invite = { eveningInvite: { eveningId: EID, hostName: 'ana', mood: '', memberCount: 1, maxMembers: 8, expiresAt: '2999-01-01T00:00:00Z' } };

  it('lets a visitor join as a guest without an account', async () => {
    const guest = { accessToken: 'g-token', accessTokenExpiresAt: '2999-01-01T00:00:00Z', user: { id: 'g1', username: 'Sam' }, evening: { id: EID } };
    const sent = stub({ EveningInvite: invite, JoinEveningAsGuest: { joinEveningAsGuest: guest }, GuestOnboarding: { onboarding: [] } });
    renderApp(routes, { url: '/join/AAAAAAAAAAAAAAAAAAAAAA', session: null });
    expect(await screen.findByRole('heading', { name: 'ana invites you to pick a film together' })).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Your name'), 'Sam');
    await userEvent.click(screen.getByRole('button', { name: 'Join the evening' }));
    expect(await screen.findByRole('heading', { name: 'Hi Sam! Five quick films' })).toBeInTheDocument();
    const join = sent.find((s) => s.query.includes('mutation JoinEveningAsGuest'));
    expect(join).toMatchObject({ variables: { token: 'AAAAAAAAAAAAAAAAAAAAAA', name: 'Sam' }, authorization: null });
    expect(JSON.parse(localStorage.getItem(`movierec.guest.${EID}`) ?? '{}')).toMatchObject({ accessToken: 'g-token', name: 'Sam' });
  });

  it('lets a signed-in person join with their account', async () => {
    const sent = stub({ EveningInvite: invite, JoinEvening: { joinEvening: EVENING }, Evening: { evening: EVENING } });
    renderApp(routes, { url: '/join/AAAAAAAAAAAAAAAAAAAAAA' });
    await userEvent.click(await screen.findByRole('button', { name: 'Join as ana' }));
    expect(await screen.findByTestId('match')).toBeInTheDocument();
    expect(sent.find((s) => s.query.includes('mutation JoinEvening('))?.authorization).toBe('Bearer access');
  });
});
