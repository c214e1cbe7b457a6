// The customer's page (docs/customer-page.md), end to end: the example policy's ladder runs to
// its suspension with the notices sent to a real SMTP server that keeps them; the link is taken
// out of the mail Ana received and opened in Chromium. Her page is in pt-BR; "I paid" with a
// PDF makes a claim and a task (not a payment: the service stays suspended); "I need until"
// grants the release the policy gives, and the walk honours the date the page shows; a second
// request is refused with the rule's name; the cancel form leaves a request awaiting its call;
// "I read this" is kept beside the notice. A tampered, an expired and a revoked link each get
// the plain page, with nothing of Ana's on it.
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { openSession, playLadder, readMaildir, repoRoot, saveScreenshots, startSmtpSink } from './support/index.js';

const screenshots = { folder: path.join(repoRoot, 'docs/customer-page') };
let smtp;
let cobrador;
let scratch;
let maildir;
let link; // the URL from the mail, on the test daemon's address
const uploads = () => path.join(cobrador.workspace.dir, 'uploads');

// The example policy with what this site chose: a claim releases nothing by itself (a person
// looks at the receipt first), a customer in debt may ask to cancel, and a cancellation waits
// for a confirming call.
function sitePolicy(folder) {
  const text = readFileSync(path.join(repoRoot, 'etc/policy.yaml'), 'utf8')
    .replace(/release_days: 1 /, 'release_days: 0 ')
    .replace(/require_no_open_invoices: true/, 'require_no_open_invoices: false')
    .replace(/# confirm_by: phone /, 'confirm_by: phone ');
  assert.match(text, /release_days: 0 /);
  assert.match(text, /require_no_open_invoices: false/);
  assert.match(text, /\n {2}confirm_by: phone /);
  const file = path.join(folder, 'policy.yaml');
  writeFileSync(file, text);
  return file;
}

before(async () => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'cobrador-customer-page-'));
  maildir = path.join(scratch, 'maildir');
  smtp = await startSmtpSink({ maildir });
  const hook = path.join(repoRoot, 'hooks/examples/log-call');
  cobrador = await openSession({
    now: '2026-03-09T16:00:00Z',
    apiClients: { ops: ['operator'] },
    policy: sitePolicy(scratch),
    secrets: { 'links.key': `${randomBytes(32).toString('hex')}\n` },
    configExtra: [
      'support: { phone: "+55 11 4000-0000", email: billing@example.com, url: https://example.com/billing }',
      'public_url: https://billing.example.com/',
      'links: { key_file: links.key, link_days: 30, uploads_dir: uploads }',
      'panels:',
      `  demo: { type: exec, command: ${JSON.stringify(hook)}, timeout: 10s }`,
      'channels:',
      `  email: { smtp_url: ${JSON.stringify(smtp.url)}, starttls: none, from: "Billing <billing@example.com>" }`,
    ].join('\n'),
  });
  await playLadder(cobrador);
  // The mail that told Ana her service was suspended, and the link in it.
  const mails = readMaildir(maildir).filter((mail) => mail.to.includes('ana@example.com'));
  const suspended = mails.filter((mail) => mail.text.includes('suspendemos'));
  assert.equal(suspended.length, 1, `one suspension mail among ${mails.length}`);
  const found = suspended[0].text.match(/https:\/\/billing\.example\.com\/c\/[0-9A-Za-z._-]+/);
  assert.ok(found, suspended[0].text);
  // The site's proxy would bring https://billing.example.com to the daemon; the test goes straight.
  link = found[0].replace('https://billing.example.com', cobrador.url);
}, { timeout: 120_000 });

after(async () => {
  await cobrador?.close();
  smtp?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

async function newPage() {
  const context = await cobrador.browser.createBrowserContext();
  return context.newPage();
}

const text = (page, selector) => page.$eval(selector, (node) => node.textContent);

async function submit(page, selector) {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

test("the notice's link opens Ana's page in pt-BR, with her debt, the next step, how to pay and her service", { timeout: 60_000 }, async () => {
  // Every notice of the ladder carried a link, and the audit trail kept none of them.
  const trail = await cobrador.ctl.json(['audit', 'ana']);
  const sent = trail.filter((row) => row.event === 'notice_sent');
  assert.ok(sent.length >= 3, JSON.stringify(sent.map((row) => row.event)));
  for (const row of sent) assert.doesNotMatch(JSON.stringify(row), /\/c\/\d+\.\d+\.\d+\.[A-Za-z0-9_-]{20,}/);

  const page = await newPage();
  const response = await page.goto(link);
  assert.equal(response.status(), 200);
  assert.equal(response.headers()['referrer-policy'], 'no-referrer');
  assert.match(response.headers()['content-security-policy'], /default-src 'none'/);
  assert.equal(await page.$eval('html', (node) => node.lang), 'pt-BR');
  assert.equal(await text(page, 'h1'), 'Sua conta');
  assert.match(await text(page, '#debt'), /A-1001/);
  assert.match(await text(page, '#total'), /49\.90 BRL/);
  assert.match(await text(page, '#pay'), /Chave PIX: financeiro@example\.com/);
  assert.equal(await page.$eval('#services td[data-state]', (node) => node.dataset.state), 'suspended');
  assert.match(await text(page, '#services'), /ana-site\s*suspenso/);
  // What happens next is what the walk plays forward for Ana (show customer: the same simulation).
  const shown = await cobrador.ctl.json(['show', 'customer', 'ana'], { now: '2026-03-09T16:00:00Z' });
  if (shown.next_action) {
    assert.equal(await page.$eval('#next-date', (node) => node.dataset.date), shown.next_action.date);
  }
  assert.match(await text(page, '#release'), /Preciso até 12\/03\/2026/);
  await saveScreenshots(page, 'customer-page', screenshots);
});

test('"I paid" with a PDF records a claim and a task, not a payment: the service stays suspended', { timeout: 60_000 }, async () => {
  const pdf = path.join(scratch, 'comprovante.pdf');
  writeFileSync(pdf, '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
  const page = await newPage();
  await page.goto(link);
  await page.type('#reference', 'PIX E2E-123');
  const input = await page.$('#proof');
  await input.uploadFile(pdf);
  await saveScreenshots(page, 'customer-paid', screenshots);
  await submit(page, '#paid button[type=submit]');
  assert.match(await text(page, '#message'), /recebemos seu comprovante de 49\.90 BRL/);

  const shown = await cobrador.ctl.json(['show', 'customer', 'ana']);
  assert.equal(shown.services[0].state, 'suspended', 'a claim is not money');
  assert.deepEqual(shown.balance, { BRL: '49.90' }, JSON.stringify(shown.balance));
  const tasks = await cobrador.ctl.json(['tasks', '--kind', 'review_claim']);
  assert.equal(tasks.length, 1, JSON.stringify(tasks));
  assert.equal(tasks[0].subject, 'payment:claim:ana:PIX E2E-123');
  const claimed = (await cobrador.ctl.json(['audit', 'ana'])).find((row) => row.event === 'payment_claimed');
  assert.ok(claimed, 'the claim is in the audit trail');
  // The receipt: kept outside the database under a random name, the daemon's alone.
  const files = readdirSync(uploads());
  assert.equal(files.length, 1);
  assert.match(files[0], /^[0-9a-f]{32}\.pdf$/);
  assert.equal(statSync(path.join(uploads(), files[0])).mode & 0o077, 0);
  assert.equal(claimed.details.proof, `upload:${files[0]}`);
  const served = await fetch(`${cobrador.url}/c/assets/${files[0]}`);
  assert.equal(served.status, 404, 'a receipt is never served back');
});

test('"I need until" grants the release the policy gives; a second request is refused with the rule', { timeout: 60_000 }, async () => {
  const page = await newPage();
  await page.goto(link);
  const form = await page.$eval('#release input[name=form]', (node) => node.value);
  await submit(page, '#release button[type=submit]');
  assert.match(await text(page, '#message'), /liberados até 12\/03\/2026/);
  const shown = await cobrador.ctl.json(['show', 'customer', 'ana']);
  assert.equal(shown.open_promise.deadline, '2026-03-12');
  assert.equal(shown.open_promise.granted_by, 'customer');
  // The page now says the release runs, and why another is refused.
  assert.match(await text(page, '#next'), /liberados por confiança até 12\/03\/2026/);
  assert.match(await text(page, '#release-refused'), /open_promise/);
  await saveScreenshots(page, 'customer-released', screenshots);
  // A second request sent anyway (the form of the earlier page) is refused by the same rule.
  const again = await fetch(`${link}/release`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `form=${encodeURIComponent(form)}`,
    redirect: 'manual',
  });
  assert.equal(again.status, 303);
  await page.goto(link);
  assert.match(await text(page, '#message'), /open_promise/);
  const trail = await cobrador.ctl.json(['audit', 'ana']);
  assert.equal(trail.filter((row) => row.event === 'trust_release_granted').length, 1);
});

test('the cancel form leaves a request awaiting its confirming call', { timeout: 60_000 }, async () => {
  const page = await newPage();
  await page.goto(link);
  await page.select('#reason', 'price');
  await page.type('#who', 'Ana Silva');
  await submit(page, '#cancel button[type=submit]');
  assert.match(await text(page, '#message'), /ligaremos para confirmá-lo/);
  const tasks = await cobrador.ctl.json(['tasks', '--kind', 'confirm_cancellation']);
  assert.equal(tasks.length, 1, JSON.stringify(tasks));
  assert.equal(tasks[0].state, 'open');
  const shown = await cobrador.ctl.json(['show', 'customer', 'ana']);
  assert.notEqual(shown.services[0].state, 'cancelling', 'nothing is cancelled before the call');
});

test('"I read this" is kept beside the notice, once', { timeout: 60_000 }, async () => {
  const page = await newPage();
  await page.goto(link);
  await submit(page, '#read button[type=submit]');
  assert.match(await text(page, '#message'), /registramos que você leu o aviso/);
  assert.match(await text(page, '#read-already'), /Você nos informou em/);
  const trail = await cobrador.ctl.json(['audit', 'ana']);
  const read = trail.filter((row) => row.event === 'notice_acknowledged');
  assert.equal(read.length, 1);
  assert.match(read[0].details.source, /^link:notice:\d+$/);
});

test('the walk honours the release: active until the day the page named, suspended on it', { timeout: 90_000 }, async () => {
  await cobrador.ctl.ok(['dispatch', '--until-empty'], { now: '2026-03-09T17:00:00Z' });
  let shown = await cobrador.ctl.json(['show', 'customer', 'ana'], { now: '2026-03-09T17:00:00Z' });
  assert.equal(shown.services[0].state, 'active', 'released on trust');
  const page = await newPage();
  await page.goto(link);
  assert.ok(await page.$('#next-date'), `${await text(page, '#next')} | ${JSON.stringify(shown)}`);
  const named = await page.$eval('#next-date', (node) => node.dataset.date);
  assert.equal(named, '2026-03-12');
  for (const day of ['10', '11']) {
    await cobrador.ctl.ok(['walk'], { now: `2026-03-${day}T09:00:00Z` });
    await cobrador.ctl.ok(['dispatch', '--until-empty'], { now: `2026-03-${day}T10:00:00Z` });
    shown = await cobrador.ctl.json(['show', 'customer', 'ana'], { now: `2026-03-${day}T10:00:00Z` });
    assert.equal(shown.services[0].state, 'active', `still active on ${day} March`);
  }
  await cobrador.ctl.ok(['walk'], { now: '2026-03-12T09:00:00Z' });
  await cobrador.ctl.ok(['dispatch', '--until-empty'], { now: '2026-03-12T10:00:00Z' });
  shown = await cobrador.ctl.json(['show', 'customer', 'ana'], { now: '2026-03-12T10:00:00Z' });
  assert.equal(shown.services[0].state, 'suspended', 'suspended on the day the page named');
});

// A link as cobrador signs it (policy/link_token.hpp), for the expired case.
function signed(customer, notice, expires, key) {
  const part = `${customer}.${notice}.${expires}`;
  const mac = createHmac('sha256', key).update(`cobrador-link-v1\n${part}`).digest('base64url');
  return `${part}.${mac}`;
}

async function plainPage(url, status, why) {
  const page = await newPage();
  const response = await page.goto(url);
  assert.equal(response.status(), status);
  assert.equal(await page.$eval('#refused', (node) => node.dataset.why), why);
  const body = await text(page, 'main');
  assert.doesNotMatch(body, /Ana|49\.90|ana-site|A-1001/, 'nothing of the customer');
  assert.match(body, /\+55 11 4000-0000/, 'whom to call');
  return page;
}

test('a tampered, an expired and a revoked link each get the plain page, with no data', { timeout: 60_000 }, async () => {
  const token = link.slice(link.lastIndexOf('/') + 1);
  const last = token.at(-1) === 'A' ? 'B' : 'A';
  const tampered = await plainPage(`${link.slice(0, -1)}${last}`, 403, 'bad');
  await saveScreenshots(tampered, 'customer-bad-link', screenshots);

  const key = readFileSync(path.join(cobrador.workspace.secretsDir, 'links.key'), 'utf8').trim();
  const [customer, notice] = token.split('.');
  const expires = Math.floor(Date.parse('2026-03-09T15:59:59Z') / 1000);
  await plainPage(`${cobrador.url}/c/${signed(customer, notice, expires, key)}`, 410, 'expired');
  // The same signature with one second more works: the test's signing is cobrador's.
  const later = await newPage();
  const fresh = await later.goto(`${cobrador.url}/c/${signed(customer, notice, expires + 2, key)}`);
  assert.equal(fresh.status(), 200);

  // The operator replaces the key: every link ends at once.
  cobrador.workspace.writeSecret('links.key', `${randomBytes(32).toString('hex')}\n`);
  await plainPage(link, 403, 'bad');
});
