import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, newPage, register, screenshot, uniqueName } from './helpers.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('vibe search returns films and says why they match', async () => {
  const { page, context, problems } = await newPage(browser);
  try {
    await register(page, uniqueName('e2e_vibe'));
    await page.getByRole('link', { name: 'Vibe' }).click();
    const mood = 'slow-burn sci-fi with a twist, not too long';
    await page.getByLabel('Describe the mood').fill(mood);
    await page.getByRole('button', { name: 'Find films' }).click();
    await page.waitForURL(/\/vibe\?q=/);
    const results = page.getByRole('region', { name: 'Films matching the mood' });
    await results.getByRole('article').first().waitFor({ timeout: 30_000 });
    assert.ok((await results.getByRole('article').count()) >= 10);
    const why = await results.getByRole('heading', { name: 'Why it matches' }).count();
    assert.ok(why >= 10);
    // The genre and the length are read out of the text and kept; the rest is the mood that is matched.
    const text = await results.textContent();
    assert.match(text, /Its story matches “slow-burn with a twist”/);
    assert.match(text, /Science Fiction, \d h \d\d min, as asked\./);
    assert.match(text, /Read as:\s*Science Fiction/);
    await screenshot(page, 'vibe');

    // Gibberish gets no confident picks: a message and moods to try, which answer on a click.
    await page.getByLabel('Describe the mood').fill('asdfgh jkl qwpoeiru');
    await page.getByRole('button', { name: 'Find films' }).click();
    const status = page.getByRole('status').filter({ hasText: 'We could not find a mood in that.' });
    await status.waitFor({ timeout: 30_000 });
    assert.equal(await page.getByRole('region', { name: 'Films matching the mood' }).count(), 0);
    await screenshot(page, 'vibe-not-understood');
    await status.getByRole('button').first().click();
    await results.getByRole('article').first().waitFor({ timeout: 30_000 });

    // The same box on Home.
    await page.goto('/');
    await page.getByLabel('Describe tonight’s mood').fill('cosy feel-good comedy for a rainy Sunday');
    await page.getByRole('button', { name: 'Match the vibe' }).click();
    const row = page.getByRole('region', { name: 'Vibe box' });
    await row.getByText(/Its story matches “cosy feel-good/).first().waitFor({ timeout: 30_000 });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
