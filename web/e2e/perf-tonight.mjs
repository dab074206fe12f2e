// Tonight's live update, timed: how long from a vote on one phone until the other phone shows it.
//
//   node e2e/perf-tonight.mjs out.json        (BASE_URL, CHROMIUM_PATH as for the e2e tests; VOTES, default 20)
//
// Two browser contexts (390x844 phones): a host (an account with 5 ratings) starts an evening, a guest
// joins by the link and rates 5 films. Then the guest presses Yes on the host's first pick and takes it
// back, VOTES times in all. Each sample: from just before the guest's click (Date.now() in this process)
// until a MutationObserver on the host's page sees the pick's vote line change (Date.now() in the page; the
// same machine clock). What it covers: the guest's mutation, the users service's outbox relay, NATS, the
// gateway's subscription re-reading the evening and the list, the WebSocket push, and React's render.
import { writeFileSync } from 'node:fs';
import { BASE_URL, launch, PASSWORD, uniqueName } from './helpers.mjs';

const out = process.argv[2];
if (!out) {
  console.error('usage: node e2e/perf-tonight.mjs <out.json>');
  process.exit(2);
}
const VOTES = Number(process.env.VOTES ?? 20);

async function gql(query, variables = {}, token) {
  const res = await fetch(`${BASE_URL}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors?.length) throw new Error(`${body.errors[0].extensions?.code}: ${body.errors[0].message}`);
  return body.data;
}

async function rateFive(token) {
  const { onboarding } = await gql('{ onboarding(first: 5) { movie { id } } }', {}, token);
  for (const [i, r] of onboarding.entries()) {
    await gql('mutation($m: ID!, $v: Float!) { rateMovie(movieId: $m, value: $v) { value } }', { m: r.movie.id, v: [5, 4, 3, 4.5, 2][i] }, token);
  }
}

const { register: h } = await gql(
  'mutation($u: String!, $p: String!) { register(username: $u, password: $p) { accessToken refreshToken accessTokenExpiresAt user { id username } } }',
  { u: uniqueName('perf_host'), p: PASSWORD },
);
await rateFive(h.accessToken);
const { startEvening: ev } = await gql('mutation { startEvening { id joinPath } }', {}, h.accessToken);
const token = ev.joinPath.split('/').pop();
const { joinEveningAsGuest: g } = await gql(
  'mutation($t: String!) { joinEveningAsGuest(token: $t, name: "Guest") { accessToken accessTokenExpiresAt user { id } } }',
  { t: token },
);
await rateFive(g.accessToken);

const phone = { viewport: { width: 390, height: 844 }, baseURL: BASE_URL };
const browser = await launch();
const samples = [];
try {
  const host = await browser.newContext(phone);
  await host.addInitScript(
    ([key, value]) => localStorage.setItem(key, value),
    ['movierec.session', JSON.stringify({ accessToken: h.accessToken, refreshToken: h.refreshToken, accessTokenExpiresAt: h.accessTokenExpiresAt, userId: h.user.id, username: h.user.username })],
  );
  const guest = await browser.newContext(phone);
  await guest.addInitScript(
    ([key, value]) => localStorage.setItem(key, value),
    [`movierec.guest.${ev.id}`, JSON.stringify({ eveningId: ev.id, accessToken: g.accessToken, accessTokenExpiresAt: g.accessTokenExpiresAt, userId: g.user.id, name: 'Guest', rated: 5 })],
  );
  const a = await host.newPage();
  const b = await guest.newPage();
  for (const p of [a, b]) {
    await p.goto(`/tonight/${ev.id}`);
    await p.getByTestId('live-state').filter({ hasText: 'Live' }).waitFor({ timeout: 30_000 });
  }
  const film = (await a.getByTestId('evening-pick').first().locator('h3 a').textContent()).trim();
  const buttons = b.getByRole('group', { name: `Your vote on ${film}` });
  for (let i = 0; i < VOTES; i++) {
    const expectYes = i % 2 === 0;
    await a.evaluate((yes) => {
      window.__seen = null;
      const done = () => {
        const has = [...document.querySelectorAll('.vote-summary')].some((el) => el.textContent.includes('Guest: yes'));
        if (has === yes) {
          window.__seen = Date.now();
          window.__obs.disconnect();
        }
      };
      window.__obs = new MutationObserver(done);
      window.__obs.observe(document.body, { childList: true, subtree: true, characterData: true });
    }, expectYes);
    await b.waitForTimeout(300); // the previous vote's button state has settled
    const t0 = Date.now();
    await buttons.getByRole('button', { name: 'Yes' }).click();
    await a.waitForFunction(() => window.__seen !== null, null, { timeout: 10_000 });
    samples.push((await a.evaluate(() => window.__seen)) - t0);
  }
} finally {
  await browser.close();
}

const sorted = [...samples].sort((x, y) => x - y);
const pct = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
const result = {
  baseUrl: BASE_URL,
  at: new Date().toISOString(),
  votes: VOTES,
  definition: 'ms from the guest pressing Yes (or pressing it again to take it back) on one phone until the host phone shows it',
  p50: pct(0.5),
  p95: pct(0.95),
  max: sorted[sorted.length - 1],
  samples,
};
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify({ p50: result.p50, p95: result.p95, max: result.max }));
