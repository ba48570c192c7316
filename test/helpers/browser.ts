// Headless Chromium for the web page tests: Debian's `chromium` (installed by .ci/run), driven by
// puppeteer-core. A missing browser fails the test with what to install, never skips it.
import * as fs from 'node:fs';
import type { Browser } from 'puppeteer-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * puppeteer-core is an ES module: Node 20.19+ loads it with require(), jest's own require cannot,
 * so it is loaded with Node's (from the real `module` built-in, which jest does not wrap).
 */
function puppeteer(): typeof import('puppeteer-core').default {
  const nodeModule = process.getBuiltinModule('node:module') as typeof import('node:module');
  try {
    return (nodeModule.createRequire(__filename)('puppeteer-core') as typeof import('puppeteer-core')).default;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_REQUIRE_ESM') throw new Error(`puppeteer-core is an ES module, which this Node.js (${process.version}) cannot require: the browser tests need Node.js 20.19 or later`);
    throw e;
  }
}

/** Throws, naming the path and what to install, when Chromium is not there. */
export function requireChromium(what: string): void {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${what} needs headless Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install chromium; .ci/run installs it) or set CHROMIUM_PATH`);
}

/** Starts headless Chromium (close it in the test's clean-up). */
export function launchChromium(what: string): Promise<Browser> {
  requireChromium(what);
  return puppeteer().launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'], timeout: 60000 });
}
