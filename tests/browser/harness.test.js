// The harness end to end: a real cobradord on a temp folder, Debian's chromium driven by
// puppeteer-core, cobradorctl on the same configuration. If these pass, a console or customer
// page test failing is about the page, not about how it was reached.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { openSession, saveScreenshots } from './support/index.js';

// A Thursday; the fixture's invoice falls due on the 10th, so nothing is overdue and the
// daemon's walk at start leaves the customer as imported.
const NOW = '2026-03-05T12:00:00Z';

let cobrador;
let page;
before(async () => {
  cobrador = await openSession({ now: NOW });
  page = await cobrador.browser.newPage();
}, { timeout: 60_000 });
after(() => cobrador?.close());

// GET from inside the page, as the page's own scripts would, with a client's bearer token.
function fetchInPage(urlPath, token) {
  return page.evaluate(async (urlPath, token) => {
    const answer = await fetch(urlPath, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
    return { status: answer.status, text: await answer.text() };
  }, urlPath, token);
}

function parseJson(text, what) {
  try {
    return JSON.parse(text);
  } catch {
    assert.fail(`${what} is not JSON: ${JSON.stringify(text)}`);
  }
}

test('/healthz opened in Chromium shows the status anyone may see, {"status": "ok"}', { timeout: 30_000 }, async () => {
  const answer = await page.goto(`${cobrador.url}/healthz`);
  assert.equal(answer.status(), 200, `GET /healthz answered ${answer.status()}`);
  // Chromium shows a JSON response as text in a <pre>.
  const text = await page.$eval('pre', (pre) => pre.textContent).catch(() => null);
  assert.ok(text !== null, `the page shows no text; its HTML: ${await page.content()}`);
  // docs/api.md: without a token the status alone, nothing that describes the site.
  assert.deepEqual(parseJson(text, "the page's text"), { status: 'ok' });
});

test("a client's token gets /healthz's detail: this daemon, on its own SQLite file", { timeout: 30_000 }, async () => {
  await page.goto(`${cobrador.url}/healthz`);
  const { status, text } = await fetchInPage('/healthz', cobrador.tokens.reader);
  assert.equal(status, 200, `GET /healthz with the reader's token answered ${status}: ${text}`);
  const health = parseJson(text, '/healthz with a token');
  assert.equal(health.status, 'ok', text);
  assert.equal(health.database, 'ok', text);
  assert.equal(health.store, 'sqlite', text);
  assert.match(health.daemon, /^cobradord \S+:\d+$/, text);
});

test('a customer imported with cobradorctl is visible through the API from the page', { timeout: 30_000 }, async () => {
  await page.goto(`${cobrador.url}/healthz`);  // the daemon's origin, so fetch needs no CORS
  const before = await fetchInPage('/v1/customers/ana', cobrador.tokens.reader);
  assert.equal(before.status, 404, `before the import, GET /v1/customers/ana answered ${before.status}: ${before.text}`);

  for (const kind of ['customers', 'services', 'invoices']) {
    const report = await cobrador.ctl.importCsv(kind, `${kind}.csv`);
    assert.equal(report.inserted, 1, `importing ${kind}.csv: ${JSON.stringify(report)}`);
  }

  const { status, text } = await fetchInPage('/v1/customers/ana', cobrador.tokens.reader);
  assert.equal(status, 200, `after the import, GET /v1/customers/ana answered ${status}: ${text}`);
  const ana = parseJson(text, 'GET /v1/customers/ana');
  assert.equal(ana.name, 'Ana Silva', text);
  assert.equal(ana.locale, 'pt-BR', text);
  assert.deepEqual(ana.balance, { BRL: '49.90' }, `the open invoice A-1001 is owed: ${text}`);
  assert.equal(ana.state, 'good_standing', `A-1001 falls due on 2026-03-10, after ${NOW}: ${text}`);
  assert.deepEqual(ana.services.map((s) => s.id), ['ana-site'], text);
});

test('saveScreenshots writes NAME.png at 1280x800 and NAME-phone.png at 390x844', { timeout: 30_000 }, async () => {
  await page.goto(`${cobrador.url}/healthz`);
  const viewport = page.viewport();
  // Into the workspace, not docs/console: this test checks the helper, it documents no page.
  const folder = path.join(cobrador.workspace.dir, 'screenshots');
  const files = await saveScreenshots(page, 'healthz', { folder });
  assert.deepEqual(files, { desktop: path.join(folder, 'healthz.png'), phone: path.join(folder, 'healthz-phone.png') });
  assert.deepEqual(pngSize(files.desktop), { width: 1280, height: 800 });
  assert.deepEqual(pngSize(files.phone), { width: 390, height: 844 });
  assert.deepEqual(page.viewport(), viewport, 'the page is back at the viewport it had');
});

// A PNG's size, from its IHDR chunk: the 8-byte signature, the chunk's length and type, then
// width and height as big-endian 32-bit integers.
function pngSize(file) {
  const bytes = readFileSync(file);
  assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG', `${file} is not a PNG`);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}
