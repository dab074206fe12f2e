// First-load performance of the production build served by the gateway, in a real Chromium.
//
//   node e2e/perf.mjs out.json        (BASE_URL, CHROMIUM_PATH as for the e2e tests; RUNS, default 5)
//
// For a signed-in user with 8 ratings (registered and rated through the API first), each run opens
// a fresh browser context (empty HTTP cache, empty localStorage except the session) and loads "/":
//   cold: that first load;  warm: a second load of "/" in the same context (HTTP cache and the app's
//   saved query cache are filled).
// Metrics, in ms since the navigation started (performance.timeOrigin):
//   fcp:             the 'first-contentful-paint' entry (PerformanceObserver, type 'paint').
//   firstZoneCards:  the first moment the "For you" row (section[aria-labelledby] whose heading reads
//                    "For you") has at least one film card (<article class="card">) in the DOM: real
//                    cards, not skeletons, observed by a MutationObserver installed before any script.
//   load:            the load event.
// The JSON has every sample and the median per metric.
import { writeFileSync } from 'node:fs';
import { BASE_URL, launch, PASSWORD, uniqueName } from './helpers.mjs';

const out = process.argv[2];
if (!out) {
  console.error('usage: node e2e/perf.mjs <out.json>');
  process.exit(2);
}
const RUNS = Number(process.env.RUNS ?? 5);
// THROTTLE=slow4g: the slow-4G figures Lighthouse uses for phones (150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up),
// applied through the DevTools protocol to every request of the page; unset: plain loopback.
const PROFILES = {
  slow4g: { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 },
};
const THROTTLE = process.env.THROTTLE ?? '';
// PAGE=landing: a visitor without an account; the first real picks are the landing page's Hidden gems row.
const PAGE = process.env.PAGE ?? 'home';
const ZONE_HEADING = PAGE === 'landing' ? 'Hidden gems' : 'For you';
if (THROTTLE && !PROFILES[THROTTLE]) {
  console.error(`unknown THROTTLE ${THROTTLE}; known: ${Object.keys(PROFILES).join(', ')}`);
  process.exit(2);
}

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

async function makeUser() {
  const username = uniqueName('perf');
  const { register: p } = await gql(
    'mutation($u: String!, $p: String!) { register(username: $u, password: $p) { accessToken refreshToken accessTokenExpiresAt user { id username } } }',
    { u: username, p: PASSWORD },
  );
  const { onboarding } = await gql('{ onboarding(first: 8) { movie { id } } }', {}, p.accessToken);
  const values = [5, 4, 4.5, 3, 5, 2, 4, 3.5];
  for (const [i, r] of onboarding.entries()) {
    await gql('mutation($m: ID!, $v: Float!) { rateMovie(movieId: $m, value: $v, zone: FOR_YOU) { movieId } }', { m: r.movie.id, v: values[i] }, p.accessToken);
  }
  return {
    accessToken: p.accessToken,
    refreshToken: p.refreshToken,
    accessTokenExpiresAt: p.accessTokenExpiresAt,
    userId: p.user.id,
    username: p.user.username,
  };
}

const OBSERVE = (zoneHeading) => {
  window.__perf = { fcp: null, firstZoneCards: null };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.name === 'first-contentful-paint') window.__perf.fcp = e.startTime;
  }).observe({ type: 'paint', buffered: true });
  const check = () => {
    if (window.__perf.firstZoneCards !== null) return;
    for (const section of document.querySelectorAll('section[aria-labelledby]')) {
      const heading = document.getElementById(section.getAttribute('aria-labelledby'));
      if (heading && heading.textContent.trim() === zoneHeading && section.querySelector('article.card')) {
        window.__perf.firstZoneCards = performance.now();
        return;
      }
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true });
};

async function measure(page) {
  await page.waitForFunction(() => window.__perf && window.__perf.fcp !== null && window.__perf.firstZoneCards !== null, null, { timeout: 60_000 });
  await page.waitForLoadState('load');
  return page.evaluate(() => ({
    fcp: Math.round(window.__perf.fcp),
    firstZoneCards: Math.round(window.__perf.firstZoneCards),
    load: Math.round(performance.getEntriesByType('navigation')[0]?.loadEventEnd ?? 0),
  }));
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : Math.round((s[m - 1] + s[m]) / 2);
};

const session = PAGE === 'landing' ? null : await makeUser();
// Warm the server side once (the first For you of a new user computes its answer) so the
// numbers are about the page, not a one-off backend cache miss.
if (session) await gql('{ forYou(first: 20) { movie { id } } hiddenGems(first: 20) { movie { id } } }', {}, session.accessToken);

const browser = await launch();
const samples = { cold: [], warm: [] };
try {
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext({ baseURL: BASE_URL, viewport: { width: 1280, height: 860 } });
    if (session) {
      await context.addInitScript(
        ([key, value]) => {
          if (!localStorage.getItem(key)) localStorage.setItem(key, value);
        },
        ['movierec.session', JSON.stringify(session)],
      );
    }
    await context.addInitScript(OBSERVE, ZONE_HEADING);
    const page = await context.newPage();
    if (THROTTLE) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', PROFILES[THROTTLE]);
    }
    await page.goto('/');
    samples.cold.push(await measure(page));
    await page.waitForTimeout(1500); // let the app save its query cache (throttled to 1 s)
    await page.goto('/');
    samples.warm.push(await measure(page));
    await context.close();
  }
} finally {
  await browser.close();
}

const summary = (runs) =>
  Object.fromEntries(['fcp', 'firstZoneCards', 'load'].map((k) => [k, { median: median(runs.map((r) => r[k])), samples: runs.map((r) => r[k]) }]));
const result = {
  baseUrl: BASE_URL,
  runs: RUNS,
  network: THROTTLE ? { profile: THROTTLE, ...PROFILES[THROTTLE] } : 'loopback, unthrottled',
  at: new Date().toISOString(),
  page: PAGE === 'landing' ? 'landing (signed out)' : 'home (signed in)',
  user: session ? { ratings: 8 } : null,
  viewport: '1280x860',
  definitions: {
    fcp: "PerformanceObserver 'paint' first-contentful-paint, ms since navigation start",
    firstZoneCards: `ms since navigation start until the ${ZONE_HEADING} row holds at least one real film card (MutationObserver)`,
    cold: 'fresh browser context: empty HTTP cache and localStorage (session only)',
    warm: 'second load of / in the same context: HTTP cache and the saved query cache filled',
  },
  cold: summary(samples.cold),
  warm: summary(samples.warm),
};
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify({ cold: result.cold, warm: result.warm }, null, 2));
