import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { crc32, deflateRawSync } from 'node:zlib';
import { launch, newPage, register, screenshot, uniqueName } from './helpers.mjs';

// Issue 16, "Bring your history": a Letterboxd export (zip) and an IMDb ratings CSV, built here, imported
// through /import against the real stack (no mocks): preview, confirm, the user's state, a re-import
// that changes nothing, and a bad file that is refused and writes nothing.

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** A zip of deflated entries (local headers, central directory, end record): what Letterboxd sends. */
function zip(files) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const raw = Buffer.from(text, 'utf8');
    const data = deflateRawSync(raw);
    const nameBuf = Buffer.from(name, 'utf8');
    const crc = crc32(raw);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(raw.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, data);
    centrals.push(central, nameBuf);
    offset += local.length + nameBuf.length + data.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length / 2, 8);
  end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

const letterboxd = zip({
  'ratings.csv':
    'Date,Name,Year,Letterboxd URI,Rating\n' +
    '2022-01-01,"Matrix, The",1999,https://boxd.it/a,4.5\n' + // folded title (article moved)
    '2022-01-02,Amelie,2001,https://boxd.it/b,4\n' + // accent folded
    '2022-01-03,Emma,1996,https://boxd.it/c,3\n' + // two films of that title in 1996
    '2022-01-04,A Film Nobody Made,1999,https://boxd.it/d,2\n', // not in the catalogue
  'watched.csv': 'Date,Name,Year,Letterboxd URI\n2022-01-01,The Matrix,1999,https://boxd.it/a\n',
  'watchlist.csv': 'Date,Name,Year,Letterboxd URI\n2022-02-01,Fight Club,1999,https://boxd.it/e\n',
  'profile.csv': 'Date Joined,Username\n2020-01-01,someone\n',
});

const imdb = Buffer.from(
  '\ufeffConst,Your Rating,Date Rated,Title,Original Title,URL,Title Type,IMDb Rating,Runtime (mins),Year,Genres,' +
    'Num Votes,Release Date,Directors\r\n' +
    'tt0110912,8,2021-05-01,Pulp Fiction,Pulp Fiction,https://www.imdb.com/title/tt0110912/,Movie,8.9,154,1994,' +
    '"Crime, Drama",2000000,1994-10-14,Quentin Tarantino\r\n' + // matched by IMDb id
    'tt0903747,10,2021-05-02,Breaking Bad,Breaking Bad,https://www.imdb.com/title/tt0903747/,TV Series,9.5,49,2008,' +
    '"Crime, Drama",2100000,2008-01-20,\r\n', // not a film
  'utf8',
);

async function myState(page) {
  return page.evaluate(async () => {
    const s = JSON.parse(localStorage.getItem('movierec.session') ?? 'null');
    const r = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${s.accessToken}` },
      body: JSON.stringify({ query: '{ me { state { ratings { movieId value } watchlistIds watchedIds } } }' }),
    });
    const body = await r.json();
    const st = body.data.me.state;
    return {
      ratings: st.ratings.map((x) => `${x.movieId}:${x.value}`).sort(),
      watchlist: [...st.watchlistIds].sort(),
      watched: [...st.watchedIds].sort(),
    };
  });
}

async function pick(page, name, mimeType, buffer) {
  await page.locator('input[type="file"]').setInputFiles({ name, mimeType, buffer });
}

test('signed out, /import asks to sign in', async () => {
  const { page, context } = await newPage(browser);
  try {
    await page.goto('/import');
    await page.getByRole('heading', { name: 'Bring your history' }).waitFor();
    const link = page.getByRole('link', { name: 'Sign in to import' });
    assert.match((await link.getAttribute('href')) ?? '', /^\/login\?next=%2Fimport/);
  } finally {
    await context.close();
  }
});

test('Letterboxd zip and IMDb CSV: preview, confirm, state, re-import changes nothing, a bad file writes nothing', async () => {
  const { page, context, problems } = await newPage(browser);
  try {
    await register(page, uniqueName('e2e_import'));
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Import' }).click();
    await page.getByRole('heading', { name: 'Bring your history' }).waitFor();

    // A bad file: refused with the server's reason, nothing written.
    await pick(page, 'export.zip', 'application/zip', Buffer.from('PK\u0003\u0004 this is not a zip'));
    await page.getByRole('alert').filter({ hasText: 'not a readable zip file' }).waitFor();
    assert.deepEqual(await myState(page), { ratings: [], watchlist: [], watched: [] });

    // The Letterboxd export: the preview says what matched and why not, before anything is written.
    await pick(page, 'letterboxd-someone-2022-02-02.zip', 'application/zip', letterboxd);
    const table = page.getByRole('table');
    await table.waitFor();
    const counts = page.getByLabel('Counts');
    assert.match(await counts.innerText(), /Rows\s+6\s+Matched\s+4\s+Not matched\s+2\s+New ratings\s+2/);
    const rowOf = (text) => table.getByRole('row').filter({ hasText: text });
    assert.match(await rowOf('Matrix, The').innerText(), /Matched[\s\S]*The Matrix \(1999\)[\s\S]*Will be added/);
    assert.match(await rowOf('Amelie').innerText(), /Matched[\s\S]*Amélie \(2001\)/);
    assert.match(await rowOf('Emma').innerText(), /Ambiguous[\s\S]*2 films titled “Emma” from 1996[\s\S]*Could be Emma/);
    assert.match(await rowOf('A Film Nobody Made').innerText(), /Not in catalogue/);
    assert.deepEqual(await myState(page), { ratings: [], watchlist: [], watched: [] });
    await screenshot(page, 'import');

    await page.getByRole('button', { name: 'Import 4 changes' }).click();
    await page.getByRole('heading', { name: 'Imported' }).waitFor();
    assert.match(await page.getByRole('status').filter({ hasText: 'ratings' }).innerText(), /2 ratings, 1 watched, 1 on your watchlist/);
    assert.deepEqual(await myState(page), { ratings: ['194:4', '603:4.5'], watchlist: ['550'], watched: ['603'] });

    // The same file again: every matched row is already yours; nothing to import.
    await pick(page, 'letterboxd-someone-2022-02-02.zip', 'application/zip', letterboxd);
    await page.getByRole('button', { name: 'Nothing to import' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Nothing to import' }).isDisabled(), true);
    assert.match(await rowOf('Matrix, The').innerText(), /Already yours/);

    // The IMDb CSV: one film by its IMDb id, a TV series that is not a film.
    await pick(page, 'ratings.csv', 'text/csv', imdb);
    await page.getByRole('heading', { name: /Preview of ratings\.csv/ }).waitFor();
    assert.match(await rowOf('Pulp Fiction').innerText(), /Matched by IMDb id tt0110912[\s\S]*Will be added/);
    assert.match(await rowOf('Breaking Bad').innerText(), /Not a film[\s\S]*TV Series/);
    await page.getByRole('button', { name: 'Import 1 change' }).click();
    await page.getByRole('heading', { name: 'Imported' }).waitFor();
    assert.deepEqual((await myState(page)).ratings, ['194:4', '603:4.5', '680:4']);

    // A bad CSV after all that: refused, and the state is as it was.
    await pick(page, 'ratings.csv', 'text/csv', Buffer.from('name,score\nx,1\n'));
    await page.getByRole('alert').filter({ hasText: 'not an IMDb export' }).waitFor();
    assert.deepEqual(await myState(page), { ratings: ['194:4', '603:4.5', '680:4'], watchlist: ['550'], watched: ['603'] });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
