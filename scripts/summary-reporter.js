// A jest reporter that ends the run with the line CI reads:
// "N passed, N failed[, N skipped]", taken from jest's own aggregated results.
'use strict';

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    // Suites that fail to run (syntax errors, throws at import) hold no test
    // results; count each as a failure so CI never reads "0 failed" for them.
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const tail = skipped > 0 ? `, ${skipped} skipped` : '';
    const line = `${results.numPassedTests} passed, ${failed} failed${tail}\n`;
    // jest prints its own summary after the reporters run; print ours last,
    // on the same stream, so it is the run's closing line.
    process.once('exit', () => process.stderr.write(line));
  }
}

module.exports = SummaryReporter;
