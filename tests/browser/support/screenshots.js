// The pictures of a page that the docs show: NAME.png at a laptop's 1280x800 and
// NAME-phone.png at a phone's 390x844 (CSS pixels, one device pixel each, so the files keep
// exactly those sizes and stay small in the repository).
import { mkdirSync } from 'node:fs';
import path from 'node:path';

import { repoRoot } from './paths.js';

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

// Only width and height change, not isMobile or hasTouch: puppeteer reloads the page to change
// those, which would lose (or post again) whatever state the test had brought the page to. The
// page's media queries see the phone's width all the same.
export async function saveScreenshots(page, name, { folder = path.join(repoRoot, 'docs/console') } = {}) {
  mkdirSync(folder, { recursive: true });
  const before = page.viewport();
  const files = { desktop: path.join(folder, `${name}.png`), phone: path.join(folder, `${name}-phone.png`) };
  try {
    await page.setViewport({ ...DESKTOP, deviceScaleFactor: 1 });
    await page.screenshot({ path: files.desktop });
    await page.setViewport({ ...PHONE, deviceScaleFactor: 1 });
    await page.screenshot({ path: files.phone });
  } finally {
    if (before) await page.setViewport(before);
  }
  return files;
}
