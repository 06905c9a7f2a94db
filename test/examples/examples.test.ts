// Smoke tests: every example runs as the README shows it, quickly.
// The two examples of this folder run in-process (their results are checked);
// the others run as child processes, exactly as a user runs them.

import * as tf from '@tensorflow/tfjs';
import {spawn} from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import {main as customLoop} from '../../examples/custom_loop_example';
import {main as precisionAuditExample} from '../../examples/precision_audit_example';
import {sameWeights} from '../../examples/demo/experiment';
import {main as trainMnist} from '../../examples/train_mnist';
import {main as lstmText} from '../../examples/lstm_text_example';
import {main as resnetBatchnorm} from '../../examples/resnet_batchnorm_example';

const ROOT = path.resolve(__dirname, '..', '..');

function silenceStdout(): {text: () => string; restore: () => void} {
  let captured = '';
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    captured += String(chunk);
    return true;
  });
  const log = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    captured += `${args.join(' ')}\n`;
  });
  return {
    text: () => captured,
    restore: () => {
      spy.mockRestore();
      log.mockRestore();
    },
  };
}

describe('examples/train_mnist.ts --quick', () => {
  it('runs both experiments, shows underflow without loss scaling, writes the report, leaks nothing', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'train-mnist-'));
    const before = tf.memory().numTensors;
    const stdout = silenceStdout();
    let outcomes;
    try {
      outcomes = await trainMnist(['--quick', '--out', out]);
    } finally {
      stdout.restore();
    }
    expect(tf.memory().numTensors).toBe(before);
    const text = stdout.text();
    expect(text).toMatch(/^backend: (tensorflow|wasm|cpu)/m);
    expect(text).toContain('run  policy         optimizer');
    expect(text).toContain(`report: ${path.join(out, 'report.html')}`);
    const markdown = fs.readFileSync(path.join(out, 'results.md'), 'utf8');
    expect(markdown).toContain('| run | policy | optimizer |');
    expect((markdown.match(/\| 3 \| mixed_float16 \| LossScale\(adam\) \|/g) ?? []).length).toBe(2);

    expect(outcomes).toHaveLength(2);
    const [a, b] = outcomes as [(typeof outcomes)[0], (typeof outcomes)[0]];
    for (const outcome of [a, b]) {
      expect(outcome.results.map((r) => [r.policy, r.optimizer])).toEqual([
        ['float32', 'adam'],
        ['mixed_float16', 'adam'],
        ['mixed_float16', 'LossScale(adam)'],
      ]);
      for (const r of outcome.results) {
        expect(Number.isFinite(r.finalLoss)).toBe(true);
        expect(r.testAccuracy).toBeGreaterThanOrEqual(0);
        expect(r.msPerStep).toBeGreaterThan(0);
      }
    }
    // Experiment B: without scaling float16 flushes a large share of the
    // activation gradients; with the LossScaleOptimizer almost none.
    expect(b.results[1]?.underflowFraction).toBeGreaterThan(0.1);
    expect(b.results[2]?.underflowFraction).toBeLessThan(0.01);
    // The loss multiplier is invisible to float32 training (Adam's epsilon scaled alike).
    expect(sameWeights(a.finalWeights[0] as Float32Array[], b.finalWeights[0] as Float32Array[])).toBe(true);

    const svg = fs.readFileSync(path.join(out, 'gradient-histogram.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('before loss scaling');
    const html = fs.readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(html).toContain('<table>');
    expect(html).toContain('<svg');
    fs.rmSync(out, {recursive: true, force: true});
  });
});

describe('examples/custom_loop_example.ts', () => {
  it('trains with getScaledLoss / getUnscaledGradients and leaks nothing', async () => {
    const before = tf.memory().numTensors;
    const stdout = silenceStdout();
    let summary;
    try {
      summary = await customLoop();
    } finally {
      stdout.restore();
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(summary.lastLoss).toBeLessThan(summary.firstLoss - 0.5);
    expect(summary.skipped).toBe(0);
    expect(summary.lossScale).toBe(2 ** 15);
    expect(stdout.text()).toMatch(/step 24 {2}loss \d\.\d{4} {2}loss scale 32768/);
  });
});

describe('examples/precision_audit_example.ts --quick', () => {
  it('audits the convnet (fine) and the unnormalized model (keep float32), halves the weights, leaks nothing', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'precision-audit-'));
    const before = tf.memory().numTensors;
    const stdout = silenceStdout();
    let result;
    try {
      result = await precisionAuditExample(['--quick', '--out', out]);
    } finally {
      stdout.restore();
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(result.convnet.summary.float16.verdict).toBe('fine');
    expect(result.unnormalized.summary.float16.verdict).toBe('keep float32');
    expect(result.unnormalized.layers.map((l) => l.outputs!.formats.float16.overflow > 0)).toEqual([true, true, true]);
    expect(result.normalized.summary.float16.verdict).toBe('fine');
    expect(result.weightBytes.float16 / result.weightBytes.float32).toBe(0.5);
    expect(result.maxPredictionDifference).toBeLessThan(1e-3);
    expect(stdout.text()).toContain('2. A regression on unnormalized features');
    for (const file of result.files.filter((f) => !f.endsWith('.md'))) {
      expect(fs.readFileSync(file, 'utf8')).toContain('<svg');
    }
    expect(fs.readFileSync(path.join(out, 'precision-audit', 'tables.md'), 'utf8')).toContain('| layer | outputs \\|x\\| |');
    fs.rmSync(out, {recursive: true, force: true});
  });
});

describe.each([
  ['examples/resnet_batchnorm_example.ts', resnetBatchnorm, ['conv2d', 'batch_normalization', 'add', 'global_average_pooling2d', 'dense']],
  ['examples/lstm_text_example.ts', lstmText, ['embedding', 'lstm', 'dense']],
] as const)('%s --quick', (_, run, prefixes) => {
  it('trains under mixed_float16 with the LossScaleOptimizer compile added, and leaks nothing', async () => {
    const before = tf.memory().numTensors;
    const stdout = silenceStdout();
    const info = jest.spyOn(console, 'info').mockImplementation(() => undefined);
    let summary;
    try {
      summary = await run(['--quick']);
    } finally {
      stdout.restore();
      info.mockRestore();
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(summary.backend).toBe('wasm');
    expect([summary.optimizer, summary.innerOptimizer]).toEqual(['LossScaleOptimizer', 'Adam']);
    const policies = Object.entries(summary.policies);
    // The output activation is kept in float32; every other layer of these
    // classes follows mixed_float16 once its class is policy-aware.
    expect(policies.filter(([, p]) => p === 'float32').map(([n]) => n)).toEqual([policies[policies.length - 1]![0]]);
    for (const prefix of prefixes) {
      const layers = policies.filter(([n]) => n.startsWith(prefix));
      expect([prefix, layers.length > 0 && layers.every(([, p]) => p === 'mixed_float16')]).toEqual([prefix, true]);
    }
    expect(summary.losses.every(Number.isFinite)).toBe(true);
    expect(summary.losses[summary.losses.length - 1]!).toBeLessThan(summary.losses[0]!);
    expect(summary.lossScales.every((s) => s >= 1)).toBe(true);
    expect(stdout.text()).toMatch(/optimizer: LossScaleOptimizer around Adam/);
  });
});

/** Runs `npx ts-node --transpile-only <file>` from the repository root. */
function runExample(file: string): Promise<{code: number | null; stdout: string; stderr: string}> {
  const tsNode = require.resolve('ts-node/dist/bin.js', {paths: [ROOT]});
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsNode, '--transpile-only', file], {cwd: ROOT});
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({code, stdout, stderr}));
  });
}

describe.each(['examples/seed_example.ts', 'examples/convnet_example.ts', 'examples/keras_finetune_example.ts'])(
  '%s',
  (file) => {
    it('runs to completion without an error', async () => {
      const {code, stdout, stderr} = await runExample(file);
      expect({code, stderr: stderr.split('\n').filter((l) => /error/i.test(l))}).toEqual({code: 0, stderr: []});
      expect(stdout.trim().length).toBeGreaterThan(0);
    });
  },
);
