// What a browser test imports: `import { openSession, saveScreenshots } from './support/index.js'`.
// The parts are exported too, for a test that needs one alone (two daemons, say).
export { openSession } from './session.js';
export { saveScreenshots, DESKTOP, PHONE } from './screenshots.js';
export { createWorkspace } from './workspace.js';
export { startDaemon } from './daemon.js';
export { cobradorctl, fixturesDir } from './cobradorctl.js';
export { launchBrowser } from './browser.js';
export { startSmtpSink } from './smtp.js';
export { repoRoot, buildDir } from './paths.js';
export { readMaildir } from './mail.js';
export { playLadder } from './ladder.js';
