// A fresh folder per test file holding what a site has in /etc/cobrador and /var/lib/cobrador:
// cobrador.yaml, the SQLite database, and a secrets folder with one bearer token per API client.
// The daemon and cobradorctl get the same environment (env()), so both read the same book.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { repoRoot } from './paths.js';

// JSON strings are YAML double-quoted strings, so any path or value is written safely.
const q = (value) => JSON.stringify(value);

// options.apiClients: {name: [scopes]}, each given a random token (workspace.tokens[name]).
// options.secrets: {file: text}, more secret files for configExtra to name.
// options.configExtra: YAML appended to cobrador.yaml (channels, panels, the pages' keys...).
// options.policy: the policy file (default: the example etc/policy.yaml).
export function createWorkspace({
  apiClients = { reader: ['read'] },
  secrets = {},
  configExtra = '',
  policy = path.join(repoRoot, 'etc/policy.yaml'),
} = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cobrador-browser-'));
  const secretsDir = path.join(dir, 'secrets');
  mkdirSync(secretsDir, { mode: 0o700 });
  // The daemon refuses a secret file that group or others may read (docs/api.md).
  const writeSecret = (name, text) => writeFileSync(path.join(secretsDir, name), text, { mode: 0o600 });

  const tokens = {};
  const clientLines = [];
  for (const [name, scopes] of Object.entries(apiClients)) {
    tokens[name] = randomBytes(24).toString('hex');
    writeSecret(`${name}.token`, `${tokens[name]}\n`);
    clientLines.push(`  ${name}: { token_file: ${q(`${name}.token`)}, scopes: [${scopes.join(', ')}] }`);
  }
  for (const [name, text] of Object.entries(secrets)) writeSecret(name, text);

  const config = path.join(dir, 'cobrador.yaml');
  // Port 0: the kernel picks a free port and the daemon logs it (daemon.js reads it), so test
  // files running side by side never race for one.
  const yaml = [
    `database: ${q(path.join(dir, 'cobrador.db'))}`,
    'listen: 127.0.0.1:0',
    `policy: ${q(policy)}`,
    `templates: ${q(path.join(repoRoot, 'etc/templates'))}`,
    ...(clientLines.length ? ['api_clients:', ...clientLines] : []),
    configExtra,
  ].join('\n');
  writeFileSync(config, `${yaml}\n`);

  return {
    dir,
    secretsDir,
    writeSecret,
    config,
    tokens,
    // As the shipped systemd unit runs it: relative *_file names are read from
    // CREDENTIALS_DIRECTORY. TZ=UTC as the daemon's own integration tests run it, so that no
    // date depends on the machine's zone. Variables from the caller's shell that would point
    // the programs elsewhere (another config, systemd's notify socket, a pinned clock) are
    // left out.
    env(now) {
      const env = { ...process.env, CREDENTIALS_DIRECTORY: secretsDir, TZ: 'UTC' };
      delete env.COBRADOR_CONFIG;
      delete env.NOTIFY_SOCKET;
      delete env.COBRADOR_NOW;
      if (now) env.COBRADOR_NOW = now;
      return env;
    },
    // Synchronous, for a process that is exiting, and retried whole: chromium's processes,
    // killed a moment before, may still add files to its profile while it is being removed.
    remove() {
      for (let attempt = 1; ; attempt++) {
        try {
          rmSync(dir, { recursive: true, force: true });
          return;
        } catch (error) {
          if (attempt === 40) throw error;
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
        }
      }
    },
  };
}
