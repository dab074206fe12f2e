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
