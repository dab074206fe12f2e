// axe-core on the main screens against the real stack, on a desktop and on a phone (390×844): no serious or
// critical violation, one h1 and no skipped heading level on each (assertAccessible in helpers.mjs).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertAccessible, launch, newPage, rateOnboarding, register, screenshot } from './helpers.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const cards = (page) => page.locator('main article');

/** Each screen: where it is, and what shows it is loaded (its data, not a skeleton). */
const SCREENS = [
  ['home', '/', async (page) => {
    for (const name of ['For you', 'Hidden gems']) {
      await page.getByRole('region', { name, exact: true }).getByRole('article').first().waitFor({ timeout: 30_000 });
    }
  }],
  ['film', null, async (page) => {
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.getByRole('region', { name: /More like this/ }).getByRole('article').first().waitFor({ timeout: 30_000 });
  }],
  ['search', '/search?q=heat', async (page) => cards(page).first().waitFor({ timeout: 30_000 })],
  ['vibe', '/vibe?q=' + encodeURIComponent('a tense heist thriller, not too long'), async (page) => cards(page).first().waitFor({ timeout: 30_000 })],
  ['together', '/together', async (page) => page.getByText('No partner linked yet').waitFor()],
  ['tonight', '/tonight', async (page) => page.getByRole('button', { name: 'Start the evening' }).waitFor()],
  ['account', '/account', async (page) => page.getByRole('region', { name: 'Partners' }).getByText('No partner linked.').waitFor()],
];

for (const [device, viewport] of [
  ['desktop', { width: 1280, height: 860 }],
  ['phone', { width: 390, height: 844 }],
]) {
  test(`accessibility (axe-core, headings) of the main screens on a ${device}`, async () => {
    const { context, page, problems } = await newPage(browser, { viewport });
    // Every screen is checked, and all their failures reported together.
    const failures = [];
    const check = async (label) => {
      try {
        const minor = await assertAccessible(page, label);
        for (const v of minor) console.log(`${label}: ${v.id} (${v.impact}, ${v.count}): ${v.help} ${v.nodes[0] ?? ''}`);
      } catch (e) {
        failures.push(e.message);
      }
    };
    try {
      // Signed out: the landing page and the log-in page.
      await page.goto('/');
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.getByRole('region', { name: /Hidden gems/ }).getByRole('article').first().waitFor({ timeout: 30_000 });
      await check(`${device} landing (signed out)`);
      await page.goto('/login');
      await page.getByRole('button', { name: 'Log in' }).waitFor();
      await check(`${device} log in`);

      await register(page);
      await rateOnboarding(page, 5);
      await check(`${device} onboarding`);
      let film = '/';
      for (const [name, path, loaded] of SCREENS) {
        await page.goto(path ?? film);
        await loaded(page);
        await check(`${device} ${name}`);
        if (name === 'home') {
          film = await cards(page).first().locator('h3 a').getAttribute('href');
          // A card's reasons open, and a row shown whole (See all).
          const forYou = page.getByRole('region', { name: 'For you', exact: true });
          await forYou.getByRole('article').first().getByRole('button', { name: /^Why / }).click();
          await forYou.getByRole('button', { name: /^See all/ }).click();
          await forYou.locator('.card-grid').waitFor();
          await check(`${device} home, reasons open, See all`);
          if (device === 'desktop') await screenshot(page, 'home-see-all');
        }
      }
      if (device === 'phone') {
        // The phone menu, open.
        await page.goto('/');
        await page.getByRole('button', { name: 'Menu' }).click();
        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Search' }).waitFor();
        await check('phone menu open');
      }
      if (problems.length) failures.push(...problems);
      if (failures.length) throw new Error(failures.join('\n'));
    } finally {
      await context.close();
    }
  });
}

test('assertAccessible fails on a serious violation and on a skipped heading level', async () => {
  const { context, page } = await newPage(browser);
  try {
    await page.setContent('<!doctype html><html lang="en"><title>t</title><main><h1>Page</h1><img src="/x.png"></main></html>');
    await assert.rejects(assertAccessible(page, 'no alt'), /image-alt \(critical, 1\)/);
    await page.setContent('<!doctype html><html lang="en"><title>t</title><main><h1>Page</h1><h3>Deep</h3></main></html>');
    await assert.rejects(assertAccessible(page, 'outline'), /h3 "Deep" comes after h1: a level skipped/);
  } finally {
    await context.close();
  }
});
