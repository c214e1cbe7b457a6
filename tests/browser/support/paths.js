// Where the things under test are: the checkout, the build whose programs run (COBRADOR_BUILD,
// which `make test-browser` sets; build/ of the checkout when a person runs `node --test` by
// hand) and Debian's chromium. A missing program is said at once, with what to run, instead of
// surfacing later as a spawn error or a browser that never connects.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export const buildDir = path.resolve(repoRoot, process.env.COBRADOR_BUILD || 'build');

// The Debian package's launcher, not /usr/lib/chromium/chromium: the launcher reads
// /etc/chromium.d, which adds --disable-dev-shm-usage where /dev/shm is small.
export const chromiumPath = '/usr/bin/chromium';

function required(file, hint) {
  if (!existsSync(file)) throw new Error(`${file} not found: ${hint}`);
  return file;
}

export function cobradordPath() {
  return required(path.join(buildDir, 'daemon/cobradord'), 'build it (`make build`) or set COBRADOR_BUILD');
}

export function cobradorctlPath() {
  return required(path.join(buildDir, 'daemon/cobradorctl'), 'build it (`make build`) or set COBRADOR_BUILD');
}

export function chromiumExecutable() {
  return required(chromiumPath, 'install Debian\'s chromium (`make browser-deps`)');
}
