import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eventually, launch, newPage, rateOnboarding, register, screenshot, uniqueName } from './helpers.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('link a partner by invite code and get one list for both', async () => {
  const a = await newPage(browser);
  const b = await newPage(browser, { viewport: { width: 390, height: 844 } }); // the partner is on a phone
  try {
    const alice = await register(a.page, uniqueName('e2e_a'));
    await rateOnboarding(a.page, 5);
    const bob = await register(b.page, uniqueName('e2e_b'));
    await rateOnboarding(b.page, 5, ['1', '2', '5', '5', '3']);

    await a.page.goto('/together');
    await a.page.getByText('No partner linked yet').waitFor();
    await a.page.getByRole('button', { name: 'Create invite code' }).click();
    const code = (await a.page.getByTestId('invite-code').textContent()).trim();
    assert.match(code, /^[A-Za-z0-9]+$/);

    await b.page.goto('/together');
    await b.page.getByLabel('Invite code').fill(code);
    await b.page.getByRole('button', { name: 'Link partner' }).click();
    await b.page.getByText(`You’re now linked with ${alice}.`).waitFor();
    // A used code is refused in plain words.
    await b.page.getByLabel('Invite code').fill(code);
    await b.page.getByRole('button', { name: 'Link partner' }).click();
    await b.page.getByRole('alert').filter({ hasText: /already|not valid/ }).waitFor();

    // Alice sees Bob, picks who watches tonight, and gets one list naming both.
    await a.page.reload();
    await a.page.getByRole('group', { name: 'Who’s watching tonight?' }).getByText(bob).waitFor();
    const list = a.page.getByRole('region', { name: 'Tonight, together' });
    await list.getByRole('article').first().waitFor({ timeout: 30_000 });
    const titles = await list.getByRole('article').getByRole('heading').allTextContents();
    assert.ok(titles.length >= 5);
    // Every card shows both members' fits, in words (the caller first), and its first reason says the
    // same shares: "Fits everyone" only when both fit, else whose pick it mainly is, or a middle ground.
    for (const title of titles) {
      const card = list.getByRole('article', { name: title, exact: true });
      const fits = await card.getByRole('list', { name: `How ${title} fits each of you` }).getByRole('listitem').allTextContents();
      assert.equal(fits.length, 2, `${title}: ${JSON.stringify(fits)}`);
      assert.match(fits[0], new RegExp(`^${alice} top \\d{1,3}%$`));
      assert.match(fits[1], new RegExp(`^${bob} top \\d{1,3}%$`));
      const reason = (await card.locator('.card-reason').textContent()).trim();
      assert.match(reason, /^(Together Fits everyone|Partial fit Mainly for [^:]+|Partial fit A middle ground): /, `${title}: ${reason}`);
      for (const fit of fits) {
        const [name, share] = fit.split(' top ');
        assert.ok(reason.includes(`top ${share} for ${name}`), `${title}: the card's "${fit}" is in "${reason}"`);
      }
    }
    await screenshot(a.page, 'together');

    // Dismissing here feeds back: the film leaves the list, for good.
    const victim = titles[0];
    const dismissed = a.page.waitForResponse((r) => /mutation DismissMovie/.test(r.request().postData() ?? ''));
    await list.getByRole('button', { name: `Not interested in ${victim}` }).click();
    assert.match(await (await dismissed).text(), /"dismissMovie":true/);
    assert.match((await dismissed).request().postData(), /"zone":"TOGETHER"/);
    await list.getByRole('article', { name: victim, exact: true }).waitFor({ state: 'detached', timeout: 2000 });
    // Rating here too: the rated film leaves the shared list once the recommender has it.
    const rated = titles[1];
    const slider = list.getByRole('slider', { name: `Your rating of ${rated}` });
    await slider.focus();
    const ratedResponse = a.page.waitForResponse((r) => /mutation RateMovie/.test(r.request().postData() ?? ''));
    await slider.press('2');
    await slider.blur(); // leaving the control saves at once
    assert.match(await (await ratedResponse).text(), /"value":2/);
    assert.match((await ratedResponse).request().postData(), /"zone":"TOGETHER"/);
    await eventually(
      async () => {
        await a.page.reload();
        await list.getByRole('article').first().waitFor({ timeout: 30_000 });
        const now = await list.getByRole('article').getByRole('heading').allTextContents();
        return !now.includes(victim) && !now.includes(rated);
      },
      { message: 'the dismissed and rated films to leave the Together list' },
    );

    // Home gets a Together row now that a partner is linked (Bob, on his phone).
    await b.page.goto('/');
    await b.page.getByRole('region', { name: 'Together' }).getByRole('article').first().waitFor({ timeout: 30_000 });
    await screenshot(b.page, 'home-phone');
    assert.deepEqual([...a.problems, ...b.problems], []);
  } finally {
    await a.context.close();
    await b.context.close();
  }
});
