// The built command line end to end, as a user runs it: `npm test` builds
// dist/ first; each case spawns dist/cjs/src/cli/bin.js with node.
import * as tf from '@tensorflow/tfjs';
import {spawnSync} from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

import * as mp from '../../src';
import {stockPredictBits} from '../io/stock_tfjs';
import {makeTempDir, removeTempDirs} from '../io/temp_dir';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'dist', 'cjs', 'src', 'cli', 'bin.js');

function run(...args: string[]): {code: number | null; stdout: string; stderr: string} {
  const r = spawnSync(process.execPath, [BIN, ...args], {cwd: ROOT, encoding: 'utf8'});
  return {code: r.status, stdout: r.stdout, stderr: r.stderr};
}

let dir: string;
let plain: string;
let overflowing: string;

beforeAll(async () => {
  if (!fs.existsSync(BIN)) {
    throw new Error('dist/ is missing: run `npm run build` (npm test does) before this test.');
  }
  tf.env().set('IS_TEST', true); // no "running TensorFlow.js in Node.js" banner
  await tf.setBackend('cpu');
  dir = makeTempDir();
  plain = path.join(dir, 'plain');
  overflowing = path.join(dir, 'overflowing');
  const small = tf.sequential({layers: [tf.layers.dense({inputShape: [4], units: 3, kernelInitializer: tf.initializers.glorotUniform({seed: 1})})]});
  await small.save(mp.io.fileSystem(plain));
  // An unnormalized layer: a kernel of 1e5 makes outputs far past 65504.
  const big = tf.sequential({
    layers: [
      tf.layers.dense({inputShape: [4], units: 3, kernelInitializer: tf.initializers.constant({value: 1e5}), name: 'big'}),
      tf.layers.dense({units: 2, kernelInitializer: tf.initializers.glorotUniform({seed: 2}), name: 'head'}),
    ],
  });
  await big.save(mp.io.fileSystem(overflowing));
  small.dispose();
  big.dispose();
});
afterAll(removeTempDirs);

describe('tfjs-mixed-precision (built bin)', () => {
  it('starts with a shebang line and prints its help, exit codes included', () => {
    expect(fs.readFileSync(BIN, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(path.resolve(ROOT, pkg.bin['tfjs-mixed-precision'])).toBe(BIN);
    const help = run('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: tfjs-mixed-precision <command> [options]');
    expect(help.stdout).toContain('  5  convert: a weight holds a value float16 cannot');
    expect(run('audit', '--help').stdout).toContain('--data FILE.json');
    expect(run('convert', '--help').stdout).toContain('--float16 OUT_DIR');
  });

  it.each([
    [[], 2, 'Usage: tfjs-mixed-precision'],
    [['frobnicate'], 2, "unknown command 'frobnicate'; valid commands: audit, convert."],
    [['audit'], 2, 'audit: give exactly one model'],
    [['audit', 'x', '--batch', '0'], 2, "audit: --batch must be an integer from 1 to 65536; received '0'."],
    [['audit', 'x', '--loss', 'hinge'], 2, "audit: --loss must be one of meanSquaredError"],
    [['audit', 'x', '--frob'], 2, "audit: unknown option '--frob'. Valid options: --data"],
    [['audit', '/no/such/model.json'], 3, "audit: no such file or directory: '/no/such/model.json'."],
    [['convert', 'x'], 2, 'convert: give one model and --float16 <out-dir>.'],
    [['convert', 'x', '--bfloat16', 'out'], 2, 'convert: --bfloat16 is not supported: stock tfjs decodes only'],
    [['convert', '/no/such/dir', '--float16', '/tmp/never'], 3, "convert: no such file or directory: '/no/such/dir'."],
  ])('%j exits with %i and says why', (args, code, message) => {
    const r = run(...(args as string[]));
    expect({code: r.code, stdout: r.stdout}).toEqual({code, stdout: ''});
    expect(r.stderr).toContain(message);
  });

  it('refuses a file that is not a model, and data that does not fit (exit 3)', () => {
    const notModel = path.join(dir, 'not-a-model.json');
    fs.writeFileSync(notModel, '{"hello": 1}');
    const r = run('audit', notModel);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('has no modelTopology; it is not a tfjs model.json.');
    const data = path.join(dir, 'bad-data.json');
    fs.writeFileSync(data, JSON.stringify({x: [[1, 2]]}));
    const d = run('audit', plain, '--data', data);
    expect(d.code).toBe(3);
    expect(d.stderr).toContain(`data file '${data}': "x" has shape [1, 2]; the model expects [batch, 4].`);
    fs.writeFileSync(data, '{"x": [[1, 2,');
    expect(run('audit', plain, '--data', data).stderr).toContain(`audit: cannot read the data file '${data}'`);
  });

  it('audits a model that breaks in float16: table, JSON, SVG, and exit code 4 with --check', () => {
    const json = path.join(dir, 'audit.json');
    const svg = path.join(dir, 'audit.svg');
    const r = run('audit', overflowing, '--loss', 'meanSquaredError', '--batch', '8', '--json', json, '--svg', svg, '--check');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/^big +\S+ +100\.0%/m);
    expect(r.stdout).toContain('float16: keep float32');
    const audit = JSON.parse(fs.readFileSync(json, 'utf8'));
    expect(audit.layers.map((l: mp.LayerAudit) => [l.name, l.verdicts.float16.verdict, l.verdicts.bfloat16.verdict])).toEqual([
      ['big_input', 'fine', 'fine'],
      ['big', 'keep float32', 'fine'],
      ['head', 'keep float32', 'fine'],
    ]);
    expect(audit.batchSize).toBe(8);
    expect(fs.readFileSync(svg, 'utf8')).toContain('>big</text>');
    // Without --check the same audit exits 0.
    expect(run('audit', overflowing, '--batch', '4').code).toBe(0);
  });

  it('audits with a data file of inputs and labels', () => {
    const data = path.join(dir, 'data.json');
    fs.writeFileSync(data, JSON.stringify({x: [[1, 2, 3, 4], [0, 0.5, 1, 1.5]], y: [[0, 1, 0], [1, 0, 0]]}));
    const r = run('audit', path.join(plain, 'model.json'), '--data', data, '--loss', 'categoricalCrossentropy');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/batch 2, float32 loss \d/);
  });

  it('converts to half-size weights that stock tfjs loads; out-of-range weights exit 5 and write nothing', () => {
    const out = path.join(dir, 'plain-f16');
    const r = run('convert', plain, '--float16', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`wrote ${path.join(out, 'model.json')}`);
    expect(r.stdout).toContain('weights: 60 -> 30 bytes (ratio 0.500); 2 weights as float16, 0 unchanged');
    const bin = (d: string) => fs.statSync(path.join(d, 'group1-shard1of1.bin')).size;
    expect(bin(out) / bin(plain)).toBe(0.5);
    const original = new Float32Array(new Uint8Array(fs.readFileSync(path.join(plain, 'group1-shard1of1.bin'))).buffer);
    const stock = stockPredictBits(out, [1, 2, 3, 4], [1, 4]);
    const rounded = Array.from(new Uint32Array(Float32Array.from(original, (v) => mp.roundToFloat16(v)).buffer));
    expect(stock.weights.flat()).toEqual(rounded);

    const refused = path.join(dir, 'never-written');
    const f = run('convert', overflowing, '--float16', refused);
    expect(f.code).toBe(5);
    expect(f.stderr).toContain("convert: float16Weights: weight 'big/kernel' holds 100000, outside float16's range (largest finite 65504) (flat index 0). Nothing was written.");
    expect(fs.existsSync(refused)).toBe(false);
    const s = run('convert', overflowing, '--float16', refused, '--saturate');
    expect(s.code).toBe(0);
    expect(s.stdout).toContain('12 values saturated to ±65504');
  });
});
