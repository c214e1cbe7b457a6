// cobradorctl on the same workspace as the daemon: the way a test puts a book in place (imports
// of CSV fixtures) or moves it on (walk, dispatch, payments), on a date of its choosing through
// COBRADOR_NOW. The daemon sees the result through the shared database, as on a real site.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { cobradorctlPath } from './paths.js';

// More than any import of a fixture takes; a hung command fails the test instead of hanging it.
const LIMIT_MS = 60_000;

export const fixturesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');

export function cobradorctl(workspace, { now } = {}) {
  // Runs `cobradorctl -c CONFIG ARGS...` and answers {code, stdout, stderr}, whatever the code.
  // options.now pins this call's clock (ISO 8601 UTC), else the one given to cobradorctl().
  const run = (args, options = {}) =>
    new Promise((resolve, reject) => {
      execFile(
        cobradorctlPath(),
        ['-c', workspace.config, ...args],
        { env: workspace.env(options.now ?? now), timeout: LIMIT_MS, maxBuffer: 64 << 20 },
        (error, stdout, stderr) => {
          if (error && typeof error.code !== 'number') {
            reject(new Error(`cobradorctl ${args.join(' ')}: ${error.message}\n${stderr}`));
          } else {
            resolve({ code: error ? error.code : 0, stdout, stderr });
          }
        },
      );
    });

  // The same, for a command that must succeed: its output, or an error with its code and stderr.
  const ok = async (args, options) => {
    const result = await run(args, options);
    if (result.code !== 0) {
      throw new Error(`cobradorctl ${args.join(' ')} exited with ${result.code}:\n${result.stderr}${result.stdout}`);
    }
    return result.stdout;
  };

  return {
    run,
    ok,
    // --json output of a command that must succeed, parsed.
    json: async (args, options) => JSON.parse(await ok(['--json', ...args], options)),
    // Imports a CSV file (customers, services, invoices, payments); a bare file name is taken
    // from tests/browser/fixtures. Answers the import's report ({rows, inserted, updated, ...}).
    importCsv: (kind, file, options) =>
      ok(['--json', 'import', kind, path.resolve(fixturesDir, file)], options).then(JSON.parse),
  };
}
