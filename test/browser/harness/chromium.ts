// Finding and launching a Chromium for the browser tests. playwright-core
// drives the system's Chromium (Debian's `chromium` package) and never
// downloads a browser.
import * as fs from 'fs';

import {Browser, chromium} from 'playwright-core';

/** Where to look, in order: $CHROMIUM_PATH, then the usual install paths. */
const CANDIDATES = [
  '/usr/lib/chromium/chromium', // Debian: the binary itself (the /usr/bin wrapper prints a warning)
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

/** The command that installs one on Debian/Ubuntu (what .ci/run does). */
export const INSTALL_HINT = 'apt-get update && apt-get install -y chromium (or set CHROMIUM_PATH)';

/** The Chromium executable to use, or null when none is installed. */
export function findChromium(): string | null {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!fs.existsSync(fromEnv)) {
      throw new Error(`CHROMIUM_PATH is '${fromEnv}', which does not exist; unset it or point it at a Chromium binary.`);
    }
    return fromEnv;
  }
  return CANDIDATES.find((file) => fs.existsSync(file)) ?? null;
}

/**
 * Flags: headless without a sandbox (CI runs as root); SwiftShader for WebGL
 * without its deprecation warning; WebGPU (off by default on Linux); and no
 * background traffic (updates, sync, first-run pages).
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--enable-unsafe-swiftshader',
  '--enable-unsafe-webgpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--no-default-browser-check',
];

export interface LaunchedChromium {
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Launches headless Chromium. playwright's `launch` gives every browser a
 * fresh temporary profile (--user-data-dir) and deletes it on close.
 */
export async function launchChromium(executablePath: string): Promise<LaunchedChromium> {
  const browser = await chromium.launch({executablePath, headless: true, args: [...CHROMIUM_ARGS]});
  return {browser, close: () => browser.close()};
}
