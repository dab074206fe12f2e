// Shared by the end-to-end tests: Debian's Chromium driven by playwright-core, against the real stack.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const BASE_URL = (process.env.BASE_URL ?? 'http://127.0.0.1:8000').replace(/\/$/, '');
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? '';
export const PASSWORD = 'correct horse battery staple';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** A headless Chromium; Playwright gives every launch a fresh, temporary --user-data-dir. */
export function launch() {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

export async function newPage(browser, { viewport = { width: 1280, height: 860 } } = {}) {
  const context = await browser.newContext({ baseURL: BASE_URL, viewport, reducedMotion: 'reduce' });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return { context, page, problems };
}

let counter = 0;
export function uniqueName(prefix = 'e2e') {
  counter += 1;
  return `${prefix}_${Date.now().toString(36)}_${process.pid.toString(36)}${counter}`.slice(0, 32);
}

export async function screenshot(page, name) {
  if (!SCREENSHOT_DIR) return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: false });
}

export async function register(page, username = uniqueName()) {
  await page.goto('/register');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.waitForURL('**/start');
  return username;
}

export async function login(page, username) {
  await page.goto('/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((url) => url.pathname === '/');
}

/** Rate the first `count` onboarding films (keyboard on each half-star slider); returns their titles. */
export async function rateOnboarding(page, count, keys = ['5', '4', 'End', '3', '4', '5', '2', '4']) {
  if (!page.url().endsWith('/start')) await page.goto('/start');
  const cards = page.getByRole('article');
  await cards.first().waitFor();
  const titles = [];
  for (let i = 0; i < count; i++) {
    const card = cards.nth(i);
    const title = (await card.getByRole('heading').textContent())?.trim() ?? '';
    const slider = card.getByRole('slider', { name: `Your rating of ${title}` });
    await slider.focus();
    await slider.press(keys[i % keys.length]);
    await slider.blur();
    titles.push(title);
  }
  // Each rating is saved half a second after the last key press: wait for the counter.
  await page.getByText(new RegExp(`^${count} of 5 rated$`)).waitFor();
  return titles;
}

/** Titles of the cards of one zone row on Home. */
export async function rowTitles(page, rowName) {
  const row = page.getByRole('region', { name: rowName, exact: true });
  await row.getByRole('article').first().waitFor();
  return row.getByRole('article').getByRole('heading').allTextContents();
}

/** Polls `fn` until it returns a truthy value. */
export async function eventually(fn, { timeout = 45_000, interval = 500, message = 'condition' } = {}) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, interval));
  }
  throw new Error(`timed out waiting for ${message} (last: ${JSON.stringify(last)})`);
}

/** axe-core's browser build, from node_modules (put in the page with addScriptTag: nothing downloaded). */
const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/**
 * Runs axe-core (WCAG 2.0/2.1/2.2 A and AA rules and its best practices) on the page as it is now, and
 * fails on any serious or critical violation, listing each with the elements it found. Minor and moderate
 * ones are returned for the caller to look at.
 */
export async function assertAccessible(page, label) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    try {
      await page.addScriptTag({ path: AXE_PATH });
    } catch {
      // The gateway's CSP (script-src 'self') refuses the inline <script> addScriptTag writes; evaluated through
      // the DevTools protocol, the same file is not subject to it, and the page's own CSP stays in force.
      await page.evaluate(readFileSync(AXE_PATH, 'utf8'));
    }
  }
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1).join(' ').trim()}`),
      count: v.nodes.length,
    }));
  });
  const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length > 0) {
    const text = bad.map((v) => `- ${v.id} (${v.impact}, ${v.count}): ${v.help}\n    ${v.nodes.join('\n    ')}`).join('\n');
    throw new Error(`${label}: ${bad.length} serious or critical accessibility violation(s):\n${text}`);
  }
  // The outline: one h1, and no level skipped on the way down (h2 after h1, h3 after h2...).
  const headings = await page.evaluate(() =>
    Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6'))
      .filter((h) => !h.closest('[aria-hidden="true"], [hidden]'))
      .map((h) => ({ level: Number(h.tagName[1]), text: (h.textContent ?? '').trim().slice(0, 60) })),
  );
  const h1s = headings.filter((h) => h.level === 1);
  if (h1s.length !== 1) throw new Error(`${label}: ${h1s.length} h1 (${JSON.stringify(h1s)}), not one`);
  let previous = 0;
  for (const h of headings) {
    if (h.level > previous + 1) throw new Error(`${label}: h${h.level} "${h.text}" comes after h${previous}: a level skipped`);
    previous = h.level;
  }
  return result;
}
