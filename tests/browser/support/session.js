// Everything a browser test needs, started in order and torn down in reverse: a workspace, a
// cobradord on it, cobradorctl on the same configuration, and Debian's chromium. A test file
// opens one session in before() and closes it in after():
//
//   let cobrador;
//   before(async () => { cobrador = await openSession({ now: '2026-03-05T12:00:00Z' }); });
//   after(() => cobrador?.close());
//
// close() runs every step even when one fails, and fails after them with what went wrong
// (a daemon that did not exit 0 on SIGTERM included). A test process that ends without it (an
// uncaught error, a signal) still kills the daemon and the browser and removes the folder.
import { launchBrowser } from './browser.js';
import { cobradorctl } from './cobradorctl.js';
import { startDaemon } from './daemon.js';
import { createWorkspace } from './workspace.js';

const open = new Set();
process.on('exit', () => {
  for (const session of open) session.abandon();
});
// Node's default on these signals is to end without 'exit' listeners; exiting runs them.
for (const [signal, number] of [['SIGINT', 2], ['SIGTERM', 15], ['SIGHUP', 1]]) {
  process.on(signal, () => process.exit(128 + number));
}

// options.now pins the clock of the daemon and, unless a call says otherwise, of cobradorctl;
// the rest goes to createWorkspace (apiClients, secrets, configExtra).
export async function openSession({ now, ...workspaceOptions } = {}) {
  const workspace = createWorkspace(workspaceOptions);
  const session = {
    workspace,
    tokens: workspace.tokens,
    ctl: cobradorctl(workspace, { now }),
    // The synchronous end, for a process that is exiting: never throws, says what it left.
    abandon() {
      open.delete(session);
      session.daemon?.kill();
      // Chromium's whole process group (puppeteer starts it as the group's leader): its
      // renderers would otherwise go on writing to the profile being removed.
      const chromium = session.browser?.process()?.pid;
      try {
        if (chromium) process.kill(-chromium, 'SIGKILL');
      } catch {
        // Already gone.
      }
      try {
        workspace.remove();
      } catch (error) {
        console.error(`could not remove ${workspace.dir}: ${error.message}`);
      }
    },
    async close() {
      const problems = [];
      const step = async (what, action) => {
        try {
          await action();
        } catch (error) {
          problems.push(`${what}: ${error.message}`);
        }
      };
      await step('closing chromium', () => session.browser?.close());
      await step('stopping cobradord', async () => {
        const code = await session.daemon?.stop();
        if (code !== undefined && code !== 0) {
          throw new Error(`it exited with ${code} on SIGTERM, not 0; its log:\n${session.daemon.log()}`);
        }
      });
      await step('removing the workspace', () => workspace.remove());
      open.delete(session);
      if (problems.length) throw new Error(problems.join('\n'));
    },
  };
  open.add(session);
  try {
    session.daemon = await startDaemon(workspace, { now });
    session.url = session.daemon.url;
    session.browser = await launchBrowser(workspace);
  } catch (error) {
    session.abandon();
    throw error;
  }
  return session;
}
