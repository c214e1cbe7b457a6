// The ladder of the example policy run to its suspension, then read in the console (docs/console.md):
// cobradorctl walks and dispatches March's days (notices to a real SMTP server, the suspension to
// the `exec` panel hook hooks/examples/log-call); the customer's page says why the service is
// suspended, with the rule of the stage, at the top. The SMS notices have no channel and are
// given up: the operator sends one again from Work, and closes a task with its outcome.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { openSession, playLadder, repoRoot, saveScreenshots, startSmtpSink } from './support/index.js';

let smtp;
let cobrador;
before(async () => {
  smtp = await startSmtpSink();
  const hook = path.join(repoRoot, 'hooks/examples/log-call');
  cobrador = await openSession({
    now: '2026-03-09T16:00:00Z',
    apiClients: { ops: ['operator'] },
    configExtra: [
      'panels:',
      `  demo: { type: exec, command: ${JSON.stringify(hook)}, timeout: 10s }`,
      'channels:',
      `  email: { smtp_url: ${JSON.stringify(smtp.url)}, starttls: none, from: "Billing <billing@example.com>" }`,
    ].join('\n'),
  });
  await playLadder(cobrador);
}, { timeout: 120_000 });
after(async () => {
  await cobrador?.close();
  smtp?.stop();
});

async function signedIn() {
  const context = await cobrador.browser.createBrowserContext();
  const page = await context.newPage();
  await page.goto(`${cobrador.url}/console/sign-in`);
  await page.type('#token', cobrador.tokens.ops);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  return page;
}

const text = (page, selector) => page.$eval(selector, (node) => node.textContent);

test("the customer's page says why the service was suspended, with the stage's rule", { timeout: 60_000 }, async () => {
  const shown = await cobrador.ctl.json(['show', 'customer', 'ana']);
  assert.equal(shown.services[0].state, 'suspended', 'the ladder reached its suspension');
  const trail = await cobrador.ctl.json(['audit', 'ana']);
  const run = trail.find((row) => row.event === 'stage_run' && row.details.stage === 'suspend');
  assert.ok(run, 'the audit trail has the suspension stage');

  const page = await signedIn();
  await page.goto(`${cobrador.url}/console/customers/ana`);
  const why = await text(page, '#why');
  assert.match(why, /ana-site was suspended on 2026-03-09/);
  assert.match(why, /at the stage suspend/);
  assert.ok(why.includes(run.details.rule), `the rule, word for word: ${run.details.rule}`);
  assert.match(why, /The panel answered/);
  // Above everything else on the page: the first card after the customer's line.
  const first = await page.$eval('main section.card', (section) => section.id);
  assert.equal(first, 'why');
  assert.ok((await page.content()).length < 300_000, 'the page weighs under 300 KB');
  await saveScreenshots(page, 'customer-suspended');
});

test('Work: the dead SMS notice\'s task is closed with an outcome, and the notice sent again', { timeout: 60_000 }, async () => {
  const page = await signedIn();
  await page.goto(`${cobrador.url}/console/work`);
  // The warning's SMS used up its 8 attempts (the suspension's, queued on Monday, has not yet).
  const dead = await page.$$eval('#dead-actions tbody tr', (rows) => rows.map((row) => row.textContent));
  assert.equal(dead.length, 1, dead.join(' | '));
  assert.match(dead[0], /warning:notify:sms/);
  assert.match(dead[0], /channels\.sms is not in cobrador\.yaml/);
  const task = await text(page, '#tasks tbody tr');
  assert.match(task, /action_dead/, 'the dead action has its task');

  await page.select('#tasks select[name=outcome]', 'done:done_by_hand');
  await page.type('#tasks input[name=note]', 'told her on the phone');
  await saveScreenshots(page, 'work-tasks');
  await Promise.all([page.waitForNavigation(), page.click('#tasks button[type=submit]')]);
  assert.match(await text(page, '[role=status]'), /is done: done_by_hand/);
  assert.match(await text(page, '#tasks'), /Nothing waits for a person/);
  const done = await cobrador.ctl.json(['tasks', '--state', 'done']);
  assert.ok(done.some((t) => t.outcome === 'done_by_hand' && t.note === 'told her on the phone'),
    `the store has the outcome and the note: ${JSON.stringify(done)}`);

  await Promise.all([page.waitForNavigation(), page.click('#dead-actions button[type=submit]')]);
  assert.match(await text(page, '[role=status]'), /is pending again/);
  assert.match(await text(page, '#dead-actions'), /No action was given up/);
  const pending = await cobrador.ctl.run(['--json', 'list', 'dead-actions']);
  assert.deepEqual(JSON.parse(pending.stdout), [], 'no dead action left in the store');
});
