// Cross-checks our float16 rounding against numpy's astype(float16), an
// independent implementation, on many float32 bit patterns.
//
//   npx ts-node --transpile-only bench/verify_numpy.ts         # ~18M patterns
//   npx ts-node --transpile-only bench/verify_numpy.ts --all   # all 2^32, 256 chunks:
//                                        slow (over an hour on a busy 2-core machine)
//
// Default set: every one of the 2^24 values of the top 24 bits (sign,
// exponent, 15 mantissa bits) with pseudo-random low 8 bits, plus every
// float16 tie (low 13 bits 0x1000) and its two float32 neighbours for each
// sign/exponent/10-bit prefix. Checked: the cpu kernel, the wasm kernel (SIMD
// path) and the composite of stock ops (on wasm; skipped with --all). NaN
// results are compared bit for bit (numpy keeps the top 10 payload bits and
// leaves a signalling NaN signalling; see src/cast/nan_rules.ts), except for
// the composite, where a NaN only has to meet a NaN (stock arithmetic cannot
// read a payload).

import {spawnSync} from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

import {cast} from '../src/cast/cast';
import {roundComposite} from '../src/cast/round_composite';
import {float16RoundedBits} from '../src/cast/round_scalar';
import {lastWasmRoundPath} from '../src/cast/round_wasm';

const CHUNK = 1 << 24;
const SCALAR = 'scalar reference';
const all = process.argv.includes('--all');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-verify-'));

function numpyFloat16(bits: Uint32Array): Uint32Array {
  const inFile = path.join(dir, 'in.f32');
  const outFile = path.join(dir, 'out.f32');
  fs.writeFileSync(inFile, Buffer.from(bits.buffer, bits.byteOffset, bits.byteLength));
  const run = spawnSync('python3', [path.join(__dirname, 'verify_numpy.py'), inFile, outFile], {
    stdio: 'inherit',
  });
  if (run.status !== 0) {
    throw new Error(`python3 verify_numpy.py failed with status ${run.status}`);
  }
  const out = fs.readFileSync(outFile);
  return new Uint32Array(out.buffer, out.byteOffset, out.byteLength / 4);
}

function* chunks(): Generator<Uint32Array> {
  if (all) {
    for (let c = 0; c < 2 ** 32 / CHUNK; c++) {
      const bits = new Uint32Array(CHUNK);
      for (let i = 0; i < CHUNK; i++) bits[i] = c * CHUNK + i;
      yield bits;
    }
    return;
  }
  const prefixes = new Uint32Array(CHUNK);
  let state = 12345;
  for (let i = 0; i < CHUNK; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    prefixes[i] = ((i << 8) | (state >>> 24)) >>> 0;
  }
  yield prefixes;
  const ties = new Uint32Array(3 << 19);
  for (let p = 0; p < 1 << 19; p++) {
    const base = (p << 13) >>> 0;
    ties[3 * p] = base | 0x1000;
    ties[3 * p + 1] = base | 0x0fff;
    ties[3 * p + 2] = base | 0x1001;
  }
  yield ties;
}

/** Name, backend, the rounding, whether NaN payloads must match exactly. */
type Impl = [string, string, (x: tf.Tensor) => tf.Tensor, boolean];

/** Mismatches between `got` and `want` (NaN matching any NaN unless `nanExact`). */
function compare(input: Uint32Array, got: Uint32Array, want: Uint32Array, nanExact: boolean, failures: string[]): number {
  const gotF = new Float32Array(got.buffer, got.byteOffset, got.length);
  const wantF = new Float32Array(want.buffer, want.byteOffset, want.length);
  let bad = 0;
  for (let i = 0; i < input.length; i++) {
    if (got[i] !== want[i] && (nanExact || !(Number.isNaN(gotF[i]) && Number.isNaN(wantF[i])))) {
      bad++;
      if (failures.length < 10) {
        failures.push(`0x${(input[i] as number).toString(16)}: got 0x${(got[i] as number).toString(16)}, numpy 0x${(want[i] as number).toString(16)}`);
      }
    }
  }
  return bad;
}

(async () => {
  const impls: Impl[] = [
    ['cpu kernel', 'cpu', (x) => cast(x, 'float16'), true],
    ['wasm kernel', 'wasm', (x) => cast(x, 'float16'), true],
  ];
  if (!all) {
    impls.push(['composite (wasm)', 'wasm', (x) => roundComposite(x, 'float16'), false]);
  }
  const counts = new Map<string, number>([[SCALAR, 0], ...impls.map(([name]): [string, number] => [name, 0])]);
  const failures: string[] = [];
  let total = 0;
  const t0 = Date.now();
  for (const bits of chunks()) {
    const want = numpyFloat16(bits);
    for (const [name, backend, round, nanExact] of impls) {
      await tf.setBackend(backend);
      const x = tf.tensor1d(new Float32Array(bits.buffer, bits.byteOffset, bits.length), 'float32');
      const y = round(x);
      const got = new Uint32Array((y.dataSync() as Float32Array).buffer.slice(0));
      if (name === 'wasm kernel' && lastWasmRoundPath() !== 'simd') {
        throw new Error(`the wasm kernel ran its ${lastWasmRoundPath()} path, not SIMD`);
      }
      tf.dispose([x, y]);
      counts.set(name, (counts.get(name) ?? 0) + compare(bits, got, want, nanExact, failures));
    }
    const scalar = bits.map(float16RoundedBits);
    counts.set(SCALAR, (counts.get(SCALAR) ?? 0) + compare(bits, scalar, want, true, failures));
    total += bits.length;
    if (all) process.stdout.write(`\r${total / CHUNK}/256 chunks`);
  }
  fs.rmSync(dir, {recursive: true, force: true});
  console.log(`\nnumpy ${spawnSync('python3', ['-c', 'import numpy; print(numpy.__version__)']).stdout.toString().trim()}, ` +
    `${total} float32 patterns, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  for (const [name, bad] of counts) {
    console.log(`  ${name.padEnd(18)} ${bad} mismatches`);
  }
  failures.forEach((f) => console.log(`  e.g. ${f}`));
  process.exitCode = failures.length > 0 ? 1 : 0;
})();
