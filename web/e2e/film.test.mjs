import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eventually, launch, newPage, register, screenshot, uniqueName } from './helpers.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('search with filters and infinite scroll', async () => {
  const { page, context, problems } = await newPage(browser);
  try {
    await register(page, uniqueName('e2e_se'));
    await page.goto('/search');
    const status = page.getByRole('status').filter({ hasText: /films?$/ });
    await status.waitFor();
    const total = Number((await status.textContent()).replace(/[^0-9]/g, ''));
    assert.ok(total > 1000, `browsing lists the catalogue (${total})`);
    const cards = page.getByRole('main').getByRole('article');
    const firstPage = await cards.count();
    assert.equal(firstPage, 24);
    // Infinite scroll: the next page arrives when the end of the list comes into view.
    await page.mouse.wheel(0, 20_000);
    await eventually(async () => (await cards.count()) > firstPage, { message: 'the next page' });

    // Filters: genre + years + runtime + language go into the URL and the query.
    await page.getByText('Filters', { exact: true }).click();
    await page.getByRole('checkbox', { name: 'Science Fiction' }).check();
    await page.getByRole('spinbutton', { name: 'From' }).fill('1990');
    await page.getByRole('spinbutton', { name: 'To' }).fill('1999');
    await page.getByRole('spinbutton', { name: 'At most' }).fill('130');
    await page.getByLabel('Language').selectOption('en');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/genre=Science\+Fiction/);
    await eventually(async () => {
      const t = Number(((await status.textContent()) ?? '').replace(/[^0-9]/g, ''));
      return t > 0 && t < total;
    }, { message: 'a filtered count' });
    const metas = await cards.locator('.card-meta').allTextContents();
    for (const m of metas.slice(0, 10)) {
      const year = Number(m.slice(0, 4));
      assert.ok(year >= 1990 && year <= 1999, `year within the filter: ${m}`);
    }
    const genres = await cards.locator('.card-genres').allTextContents();
    assert.ok(genres.length > 0);
    await screenshot(page, 'search');

    // A typo-tolerant query.
    await page.goto('/search?q=jurasic+park');
    const jurassic = page.getByRole('article', { name: 'Jurassic Park', exact: true });
    await jurassic.waitFor();
    assert.equal(await jurassic.locator('.card-match').count(), 0, 'a title match names no person');

    // A person query: the card says through whom the film matched.
    await page.goto('/search?q=tom+hanks');
    const gump = page.getByRole('main').getByRole('article', { name: 'Forrest Gump', exact: true });
    await gump.getByText('With Tom Hanks', { exact: true }).waitFor();
    await page.goto('/search?q=christopher+nolan');
    await page.getByRole('main').getByText('Directed by Christopher Nolan', { exact: true }).first().waitFor();
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('film page: details, rating, favourite, watchlist, more like this, comments', async () => {
  const { page, context, problems } = await newPage(browser);
  try {
    const username = await register(page, uniqueName('e2e_film'));
    await page.goto('/search?q=heat&from=1995&to=1995');
    await page.getByRole('main').getByRole('article', { name: 'Heat', exact: true }).getByRole('link', { name: 'Heat' }).click();
    await page.getByRole('heading', { level: 1, name: /Heat/ }).waitFor();
    const main = page.getByRole('main');
    assert.match(await main.textContent(), /Michael Mann/);
    assert.match(await main.textContent(), /Al Pacino/);
    assert.match(await main.textContent(), /English/);

    // Rating (half stars, keyboard), favourite, watchlist.
    const stars = page.getByRole('slider', { name: 'Your rating of Heat' });
    await stars.focus();
    await stars.press('4');
    await stars.press('ArrowRight');
    assert.equal(await stars.getAttribute('aria-valuenow'), '4.5');
    const fav = page.getByRole('button', { name: 'Favourite' });
    await fav.click();
    // The toggle flips once the optimistic update has run (a tick after the click, not within it).
    await eventually(async () => (await fav.getAttribute('aria-pressed')) === 'true', { timeout: 10_000, interval: 50, message: 'Favourite pressed' });
    const wl = page.getByRole('button', { name: 'Watchlist', exact: true });
    await wl.click();
    await eventually(async () => (await wl.getAttribute('aria-pressed')) === 'true', { timeout: 10_000, interval: 50, message: 'Watchlist pressed' });

    // More like this re-queries as a slider moves.
    const similar = page.getByRole('region', { name: 'More like this' });
    await similar.getByRole('article').first().waitFor();
    const story = page.getByRole('slider', { name: /Story/ });
    const similarRequest = page.waitForRequest((r) => /query Similar/.test(r.postData() ?? '') && /"people":10/.test(r.postData() ?? ''));
    await page.getByRole('slider', { name: /People/ }).fill('10');
    await story.fill('0');
    await similarRequest;
    // All four axes at 0 rank by nothing: nothing is sent, and the row says what to do instead.
    const allZero = [];
    const onRequest = (r) => {
      const post = r.postData() ?? '';
      if (!/query Similar/.test(post)) return;
      const weights = JSON.parse(post).variables?.weights;
      if (weights && Object.values(weights).every((w) => !w)) allZero.push(weights);
    };
    page.on('request', onRequest);
    for (const axis of [/People/, /Style/, /Genre/]) await page.getByRole('slider', { name: axis }).fill('0');
    await similar.getByText('Give at least one axis a weight above zero.').waitFor();
    assert.equal(await similar.getByRole('article').count(), 0);
    await page.waitForTimeout(600); // past the sliders' debounce
    page.off('request', onRequest);
    assert.deepEqual(allZero, []);
    await similar.getByRole('button', { name: 'Reset' }).click();
    await similar.getByRole('article').first().waitFor();

    // Hidden gems: the obscurity slider's range and default come from gemCeilingScale, said in votes.
    const scale = (
      await (await page.request.post('/graphql', { data: { query: '{ gemCeilingScale { min { percentile text } max { percentile text } default { percentile text } } }' } })).json()
    ).data.gemCeilingScale;
    const gems = page.getByRole('region', { name: 'Hidden gems like this' });
    await gems.getByRole('article').first().waitFor();
    const obscurity = page.getByRole('slider', { name: 'Obscurity' });
    const label = gems.locator('output[for="obscurity"]');
    assert.equal(Number(await obscurity.getAttribute('min')), 100 - scale.max.percentile);
    assert.equal(Number(await obscurity.getAttribute('max')), 100 - scale.min.percentile);
    assert.equal(Number(await obscurity.inputValue()), 100 - scale.default.percentile);
    assert.equal(await label.textContent(), scale.default.text);
    assert.match(await label.textContent(), /^at most [\d,]+ votes$/);
    assert.equal(await obscurity.getAttribute('aria-valuetext'), scale.default.text);
    const gemsRequest = page.waitForRequest(
      (r) => /query HiddenGems/.test(r.postData() ?? '') && JSON.parse(r.postData()).variables.maxPopularityPercentile === scale.min.percentile,
    );
    await obscurity.fill(String(100 - scale.min.percentile)); // the most obscure the recommender allows
    await gemsRequest;
    assert.equal(await label.textContent(), scale.min.text);
    assert.match(await label.textContent(), /^at most [\d,]+ votes$/);
    assert.equal(await obscurity.getAttribute('aria-valuetext'), scale.min.text);

    // Comments: post, edit, delete own.
    const text = `Still the best diner scene (${Date.now()})`;
    await page.getByLabel('Your comment').fill(text);
    await page.getByRole('button', { name: 'Post comment' }).click();
    const mine = page.getByRole('listitem', { name: `Comment by ${username}` });
    await mine.getByText(text).waitFor();
    await eventually(async () => !(await mine.getByRole('button', { name: 'Delete' }).isDisabled()), { message: 'the comment to be saved' });
    await mine.getByRole('button', { name: 'Edit' }).click();
    await mine.getByLabel('Edit your comment').fill(`${text}, edited`);
    await mine.getByRole('button', { name: 'Save' }).click();
    await mine.getByText(`${text}, edited`).waitFor();
    await page.reload();
    await mine.getByText(`${text}, edited`).waitFor();
    await page.getByRole('heading', { level: 1, name: /Heat/ }).scrollIntoViewIfNeeded();
    await screenshot(page, 'film');
    await mine.getByRole('button', { name: 'Delete' }).click();
    await mine.waitFor({ state: 'detached' });
    await page.reload();
    await page.getByRole('heading', { name: /Comments/ }).waitFor();
    await page.getByText('No comments yet. Be the first.').or(page.getByRole('listitem', { name: /^Comment by / })).first().waitFor();
    assert.equal(await page.getByText(text).count(), 0, 'the deleted comment stays deleted');

    // The state persisted: the rating after reload, and the watchlist/favourites pages.
    await eventually(
      async () => (await page.getByRole('slider', { name: 'Your rating of Heat' }).getAttribute('aria-valuenow')) === '4.5',
      { message: 'the saved rating after reload' },
    );
    await page.getByRole('link', { name: 'Watchlist' }).click();
    await page.getByRole('article', { name: 'Heat', exact: true }).waitFor();
    await screenshot(page, 'watchlist');
    await page.getByRole('link', { name: 'Favourites' }).click();
    await page.getByRole('article', { name: 'Heat', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Remove Heat from favourites' }).click();
    await page.getByRole('article', { name: 'Heat', exact: true }).waitFor({ state: 'detached' });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
