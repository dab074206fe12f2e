import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eventually, launch, newPage, rateOnboarding, register, rowTitles, screenshot, uniqueName } from './helpers.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('rating films changes For you; a dismissed film vanishes and stays gone', async () => {
  const { page, context, problems } = await newPage(browser);
  try {
    await register(page, uniqueName('e2e_fy'));
    await page.goto('/');
    const before = await rowTitles(page, 'For you');
    assert.ok(before.length >= 5, `For you lists films for a new user (${before.length})`);
    // Every card carries its facts and a top reason; "why?" opens all the reasons.
    const firstCard = page.getByRole('region', { name: 'For you', exact: true }).getByRole('article').first();
    assert.match(await firstCard.textContent(), /\/10/);
    const why = firstCard.getByRole('button', { name: /^Why / });
    await why.click();
    assert.equal(await why.getAttribute('aria-expanded'), 'true');
    assert.ok((await firstCard.getByRole('listitem').count()) >= 1);

    await page.getByRole('link', { name: 'Rate some films' }).click();
    const rated = await rateOnboarding(page, 6);
    assert.equal(rated.length, 6);

    await page.getByRole('link', { name: 'See For you' }).click();
    await page.waitForURL((u) => u.pathname === '/');
    const after = await eventually(
      async () => {
        await page.reload();
        const titles = await rowTitles(page, 'For you');
        const changed = titles.join('|') !== before.join('|');
        return changed && !titles.some((t) => rated.includes(t)) ? titles : null;
      },
      { message: 'For you to change after rating' },
    );
    assert.notDeepEqual(after, before);
    for (const t of rated) assert.ok(!after.includes(t), `a rated film (${t}) is not recommended again`);
    await page.getByRole('region', { name: 'Hidden gems', exact: true }).getByRole('article').first().waitFor();
    await screenshot(page, 'home');

    // Dismiss the second film of For you.
    const row = page.getByRole('region', { name: 'For you', exact: true });
    const victim = after[1];
    await row.getByRole('button', { name: `Not interested in ${victim}` }).click();
    await row.getByRole('article', { name: victim, exact: true }).waitFor({ state: 'detached', timeout: 2000 });
    // Gone after reload too, and from every row.
    await eventually(
      async () => {
        await page.reload();
        await rowTitles(page, 'For you');
        return (await page.getByRole('article', { name: victim, exact: true }).count()) === 0;
      },
      { message: 'the dismissed film to stay gone after reload' },
    );
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('on a phone Home is no wider than the screen; row arrows, Escape and focus work from the keyboard (issue 16)', async () => {
  const { page, context, problems } = await newPage(browser, { viewport: { width: 390, height: 844 } });
  try {
    await register(page, uniqueName('e2e_ph'));
    await page.goto('/');
    const forYou = await rowTitles(page, 'For you');
    assert.ok(forYou.length >= 5, `For you has a row of picks (${forYou.length})`);
    await rowTitles(page, 'Hidden gems');
    // The visually hidden "Rated" text on every card used to widen the page to 3,201 px.
    const width = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
    assert.ok(width.scroll <= width.inner, `the page is ${width.scroll} px wide in a ${width.inner} px window`);

    // Rows start at their first pick; the arrows move them and say so.
    const row = page.getByRole('region', { name: 'For you', exact: true });
    const list = row.getByRole('list').first();
    // At its start (scroll snapping parks it on the first card, past the list's 2 px padding).
    assert.ok((await list.evaluate((el) => el.scrollLeft)) <= 8, 'the row opens at its first pick');
    assert.equal(await row.getByRole('button', { name: 'Previous films in For you' }).getAttribute('aria-disabled'), 'true');
    const next = row.getByRole('button', { name: 'Next films in For you' });
    await next.focus();
    await page.keyboard.press('Enter');
    await eventually(async () => (await list.evaluate((el) => el.scrollLeft)) > 100, { timeout: 5000, message: 'the row to scroll' });
    await eventually(async () => (await row.getByRole('button', { name: 'Previous films in For you' }).getAttribute('aria-disabled')) === 'false', {
      timeout: 5000,
      message: 'Previous to be enabled',
    });

    // The phone menu opens with its button and closes on Escape, focus back on the button.
    const toggle = page.getByRole('button', { name: 'Menu' });
    await toggle.click();
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Search' }).waitFor();
    await nav.getByRole('link', { name: 'Search' }).focus();
    await page.keyboard.press('Escape');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.equal(await nav.isVisible(), false);
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Menu');

    // Opening a film from the keyboard puts focus on its heading, not on <body>.
    const title = forYou[0];
    await row.getByRole('link', { name: title, exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL('**/film/**');
    const h1 = page.getByRole('heading', { level: 1 });
    await h1.waitFor();
    await eventually(async () => (await page.evaluate(() => document.activeElement?.tagName)) === 'H1', {
      timeout: 5000,
      message: 'focus on the film heading',
    });
    assert.ok((await h1.textContent()).includes(title), `the focused heading is the film's (${title})`);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
