// describeInBrowser: a jest describe block that runs in real Chromium when
// one is installed, and otherwise is skipped with ONE loud line per test run
// saying how to install it (CI installs it first, so CI always runs these).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import {findChromium, INSTALL_HINT} from './chromium';
import {BrowserSession, BrowserSessionOptions, openBrowserSession} from './browser_session';

/** Prints the skip notice once per jest run (workers share the parent's pid). */
function announceSkip(): void {
  const marker = path.join(os.tmpdir(), `mp-browser-skip-notice-${process.ppid}`);
  try {
    fs.writeFileSync(marker, '', {flag: 'wx'});
  } catch {
    return; // another test file of this run said it already
  }
  process.stderr.write(
    `\n*** BROWSER TESTS SKIPPED: no Chromium found. Install one to run them: ${INSTALL_HINT} ***\n\n`,
  );
}

/**
 * `describe(title, ...)` with a browser session opened before its tests and
 * closed after them; `body` receives a getter for it. Skipped loudly when no
 * Chromium is installed.
 */
export function describeInBrowser(
  title: string,
  body: (session: () => BrowserSession) => void,
  options: BrowserSessionOptions = {},
): void {
  const executable = findChromium();
  if (executable === null) {
    announceSkip();
    describe.skip(`${title} [skipped: no Chromium; ${INSTALL_HINT}]`, () => {
      body(() => {
        throw new Error('unreachable: skipped');
      });
    });
    return;
  }
  describe(title, () => {
    let session: BrowserSession | undefined;
    beforeAll(async () => {
      session = await openBrowserSession(executable, options);
    }, 60000);
    afterAll(async () => {
      await session?.close();
    });
    body(() => {
      if (session === undefined) {
        throw new Error('the browser session failed to open (see the beforeAll error above)');
      }
      return session;
    });
  });
}
