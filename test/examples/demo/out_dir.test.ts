import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import {DemoOutputError, checkOutDir, writeReportOrPrint} from '../../../examples/demo/out_dir';
import {DemoUsageError} from '../../../examples/demo/demo_options';
import {GradientHistogram} from '../../../examples/demo/gradient_histogram';
import {Report} from '../../../examples/demo/report';
import {main as trainMnist} from '../../../examples/train_mnist';

const made: string[] = [];
afterEach(() => jest.restoreAllMocks());
afterAll(() => made.splice(0).forEach((d) => fs.rmSync(d, {recursive: true, force: true})));

const tmp = (): string => {
  made.push(fs.mkdtempSync(path.join(os.tmpdir(), 'out-dir-')));
  return made[made.length - 1]!;
};

// A path that cannot be a directory, even for root: below a regular file.
function unwritable(): string {
  const file = path.join(tmp(), 'a-file');
  fs.writeFileSync(file, '');
  return path.join(file, 'out');
}

const report: Report = {
  title: 'Demo',
  setup: ['backend: cpu'],
  experiments: [
    {
      title: 'Experiment A',
      paragraphs: ['ran'],
      results: [
        {
          name: '1',
          policy: 'float32',
          optimizer: 'adam',
          testAccuracy: 0.875,
          finalLoss: 0.25,
          msPerStep: 10,
          gradientZeroFraction: 0.5,
          underflowFraction: null,
          skippedSteps: 0,
          finalLossScale: null,
        },
      ],
    },
  ],
  figure: {title: 'fig', panels: [{title: 'panel', histogram: new GradientHistogram().add([0.5])}]},
};

describe('checkOutDir', () => {
  it('creates a missing directory and leaves nothing in it', () => {
    const dir = path.join(tmp(), 'new', 'out');
    checkOutDir(dir);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('refuses a directory that cannot be written, saying what to do', () => {
    const dir = unwritable();
    expect(() => checkOutDir(dir)).toThrow(DemoUsageError);
    expect(() => checkOutDir(dir)).toThrow(
      new RegExp(`^--out '${dir}': the report cannot be written there \\((ENOTDIR|EEXIST) on '.*'\\)\\. Choose a writable directory with --out DIR; nothing was trained\\.$`),
    );
  });
});

describe('the demo with an unwritable --out', () => {
  it('fails before training, with the clear message', async () => {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const started = Date.now();
    await expect(trainMnist(['--quick', '--out', unwritable()])).rejects.toThrow(/the report cannot be written there .* nothing was trained\./);
    // Nothing was printed: the check comes before the backend, the data and the runs.
    expect(write).not.toHaveBeenCalled();
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});

describe('writeReportOrPrint', () => {
  it('writes the report when it can', () => {
    const dir = tmp();
    const log = jest.fn();
    expect(writeReportOrPrint(dir, report, log).markdown).toBe(path.join(dir, 'results.md'));
    expect(log).not.toHaveBeenCalled();
  });

  it('prints the results as Markdown and throws a clear error when the write fails after training', () => {
    const dir = tmp();
    // A directory where the page goes: the write fails (EISDIR), also for root.
    fs.mkdirSync(path.join(dir, 'report.html'));
    const lines: string[] = [];
    const run = (): unknown => writeReportOrPrint(dir, report, (line = '') => lines.push(line));
    expect(run).toThrow(DemoOutputError);
    expect(run).toThrow(
      `the report could not be written to '${dir}' (EISDIR on '${path.join(dir, 'report.html')}'); its Markdown is printed above.`,
    );
    expect(lines.join('\n')).toContain('| 1 | float32 | adam | 87.50% |');
  });
});
