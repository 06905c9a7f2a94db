// The --out directory: checked before training (a run of minutes must not
// end in "permission denied"), and a report that still cannot be written
// after training is printed instead of lost.

import * as fs from 'fs';
import * as path from 'path';

import {DemoUsageError} from './demo_options';
import {Report, WrittenReport, renderMarkdown, writeReport} from './report';

/** The report could not be written after training (results were printed). */
export class DemoOutputError extends Error {
  override readonly name = 'DemoOutputError';
}

/**
 * Creates `outDir` if missing and writes and removes a probe file in it;
 * throws a DemoUsageError saying why and what to do if that fails.
 *
 * @example
 * checkOutDir('out'); // before any training
 */
export function checkOutDir(outDir: string): void {
  const probe = path.join(outDir, `.write-test-${process.pid}-${Date.now()}`);
  try {
    fs.mkdirSync(outDir, {recursive: true});
    fs.writeFileSync(probe, '', {flag: 'wx'});
    fs.rmSync(probe);
  } catch (e) {
    throw new DemoUsageError(
      `--out '${outDir}': the report cannot be written there (${describeFsError(e)}). ` +
        `Choose a writable directory with --out DIR; nothing was trained.`,
    );
  }
}

/**
 * Writes the report; if that fails (the directory changed during the run),
 * prints the Markdown report to stdout through `log` and throws a
 * DemoOutputError naming the directory, so the results are kept.
 */
export function writeReportOrPrint(outDir: string, report: Report, log: (line?: string) => void): WrittenReport {
  try {
    return writeReport(outDir, report);
  } catch (e) {
    log();
    log(renderMarkdown(report));
    throw new DemoOutputError(
      `the report could not be written to '${path.resolve(outDir)}' (${describeFsError(e)}); ` +
        `its Markdown is printed above. Run again with a writable --out DIR for the figure and the HTML page.`,
    );
  }
}

function describeFsError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err?.code !== undefined ? `${err.code}${err.path !== undefined ? ` on '${err.path}'` : ''}` : String((e as Error)?.message ?? e);
}
