// A real cobradord on a workspace: started, taken as ready once /healthz answers 200, and
// stopped with SIGTERM as systemd stops it (docs/operations.md: it exits 0). Its log (stderr,
// "<6>..." lines) is kept for the messages of failures: a test that cannot reach the daemon is
// only explained by what the daemon said.
import { spawn } from 'node:child_process';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

import { cobradordPath } from './paths.js';

const START_LIMIT_MS = 15_000;
// The daemon's own integration test holds it to well within 10 s.
const STOP_LIMIT_MS = 10_000;

export async function startDaemon(workspace, { now } = {}) {
  const child = spawn(cobradordPath(), ['-c', workspace.config], {
    env: workspace.env(now),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (chunk) => { log += chunk; });
  child.stderr.on('data', (chunk) => { log += chunk; });
  let exitCode;
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exitCode = code ?? 128 + os.constants.signals[signal];
      resolve(exitCode);
    });
    // A program that could not be started at all (not executable, say) sends no 'exit'.
    child.on('error', (error) => {
      log += `cannot run ${child.spawnfile}: ${error.message}\n`;
      exitCode ??= 127;
      resolve(exitCode);
    });
  });
  const stillRunning = () => {
    if (exitCode !== undefined) throw new Error(`cobradord exited with ${exitCode} while starting`);
  };

  const daemon = {
    log: () => log,
    // At once and synchronously, for a test process that is exiting (session.js).
    kill: () => child.kill('SIGKILL'),
    // SIGTERM and the exit code; after STOP_LIMIT_MS, SIGKILL and an error saying so.
    async stop() {
      if (exitCode !== undefined) return exitCode;
      child.kill('SIGTERM');
      // Unref'd: the timer of a race already won must not keep the test process alive.
      const code = await Promise.race([exited, sleep(STOP_LIMIT_MS, undefined, { ref: false })]);
      if (code !== undefined) return code;
      child.kill('SIGKILL');
      await exited;
      throw new Error(`cobradord did not stop within ${STOP_LIMIT_MS} ms of SIGTERM; its log:\n${log}`);
    },
  };

  try {
    // With `listen: 127.0.0.1:0` the daemon logs the port the kernel gave it.
    daemon.port = await waitFor('its port in the log', () => {
      stillRunning();
      const match = /HTTP API listening on port (\d+)/.exec(log);
      return match && Number(match[1]);
    });
    daemon.url = `http://127.0.0.1:${daemon.port}`;
    await waitFor('/healthz to answer 200', async () => {
      stillRunning();
      // A bounded wait per try: an accepted connection that never answers must not outlast
      // START_LIMIT_MS.
      const answer = await fetch(`${daemon.url}/healthz`, { signal: AbortSignal.timeout(2_000) })
        .catch(() => undefined);
      await answer?.text();
      return answer?.status === 200;
    });
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    error.message += `; cobradord's log:\n${log}`;
    throw error;
  }
  return daemon;
}

async function waitFor(what, check) {
  const deadline = Date.now() + START_LIMIT_MS;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`cobradord: gave up waiting for ${what} after ${START_LIMIT_MS} ms`);
    await sleep(50);
  }
}
