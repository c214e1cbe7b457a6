// Debian's chromium, headless, driven by puppeteer-core (which downloads no browser of its own).
import path from 'node:path';

import puppeteer from 'puppeteer-core';

import { chromiumExecutable } from './paths.js';

// Chromium refuses to start as root with its sandbox on; CI and `make test` run as root.
const sandboxArgs = process.getuid?.() === 0 ? ['--no-sandbox'] : [];

// The profile lives in the workspace, so removing the workspace removes it even when the
// browser was killed before puppeteer could clean up its own temporary profile.
export function launchBrowser(workspace) {
  return puppeteer.launch({
    executablePath: chromiumExecutable(),
    headless: true,
    userDataDir: path.join(workspace.dir, 'chromium-profile'),
    args: sandboxArgs,
    // The screenshots choose their own sizes (screenshots.js); pages otherwise open at this one.
    defaultViewport: { width: 1280, height: 800 },
  });
}
