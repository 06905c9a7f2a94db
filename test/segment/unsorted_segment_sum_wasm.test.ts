import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

import '../../src/segment/register_segment_kernels';

beforeAll(async () => {
  await tf.setBackend('wasm');
});

type XDtype = 'float32' | 'int32' | 'bool';

interface Case {
  name: string;
  x: number[];
  xShape: number[];
  dtype?: XDtype;
  ids: number[];
  numSegments: number;
}

/** Values of mixed sign and magnitude: sums whose float32 result depends on the order and precision of accumulation. */
function spread(n: number, seed: number): number[] {
  let state = seed;
  return Array.from({length: n}, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    const u = state / 2147483648;
    return Math.fround((u - 0.5) * 10 ** Math.floor(u * 16 - 8));
  });
}

const range = (n: number) => Array.from({length: n}, (_, i) => i);

const CASES: Case[] = [
  {name: 'rank 1, repeated ids (tfjs doc example)', x: [1, 2, 3, 4], xShape: [4], ids: [1, 2, 0, 1], numSegments: 3},
  {name: 'rank 1, every id the same', x: spread(9, 1), xShape: [9], ids: Array(9).fill(0), numSegments: 1},
  {name: 'rank 2, repeated ids', x: spread(24, 2), xShape: [6, 4], ids: [2, 0, 2, 2, 1, 0], numSegments: 3},
  {name: 'rank 3, repeated ids', x: spread(60, 3), xShape: [5, 3, 4], ids: [1, 1, 0, 1, 0], numSegments: 2},
  {
    name: 'out-of-range ids (-1, numSegments, large) are dropped', x: spread(18, 4), xShape: [6, 3],
    ids: [0, -1, 3, 2, 1 << 30, 0], numSegments: 3,
  },
  {name: 'numSegments larger than the largest id', x: spread(12, 5), xShape: [4, 3], ids: [0, 1, 1, 0], numSegments: 7},
  {
    name: 'accumulation beyond float32 (1e8 + 1 - 1e8 = 1)', x: [1e8, 1, -1e8, 3, 1, 2], xShape: [6],
    ids: [0, 0, 0, 1, 1, 1], numSegments: 2,
  },
  {name: 'negative zeros', x: [-0, -0, 5, -0], xShape: [2, 2], ids: [1, 1], numSegments: 2},
  {name: 'empty x (no rows)', x: [], xShape: [0, 3], ids: [], numSegments: 2},
  {name: 'empty rows (inner size 0)', x: [], xShape: [3, 0], ids: [0, 1, 0], numSegments: 2},
  {name: 'int32', x: [7, -2, 5, 11, 0, 3], xShape: [3, 2], dtype: 'int32', ids: [1, 1, 0], numSegments: 3},
  {name: 'int32 beyond 2^24 (rounded as cpu)', x: [16777217, 1, 2 ** 31 - 1, -7], xShape: [4], dtype: 'int32', ids: [0, 0, 1, 1], numSegments: 2},
  {name: 'bool', x: [1, 0, 1, 1, 1, 0], xShape: [3, 2], dtype: 'bool', ids: [0, 0, 1], numSegments: 2},
  {name: 'an embedding gradient (GatherV2 grad shape)', x: spread(640 * 8, 6), xShape: [640, 8], ids: range(640).map((i) => (i * 7) % 50), numSegments: 50},
  // cpu multiplies every row by a 0/1 mask: 0 * Inf and 0 * NaN are NaN in the other segments.
  {name: 'Inf in an out-of-range row', x: [1, Infinity, 3, 4], xShape: [4], ids: [1, 5, 0, 1], numSegments: 3},
  {name: '-Inf and NaN in range, other columns finite', x: [1, -Infinity, 2, 3, NaN, 4, 5, 6], xShape: [4, 2], ids: [0, 1, 1, 0], numSegments: 3},
  {name: 'Inf + -Inf in one segment', x: [Infinity, -Infinity, 1], xShape: [3], ids: [0, 0, 1], numSegments: 2},
  {
    name: 'Inf, -Inf and NaN scattered over columns, rows of every kind, untouched segments',
    x: spread(40 * 5, 8).map((v, i) => (i % 7 === 0 ? [Infinity, -Infinity, NaN][i % 3]! : v)),
    xShape: [40, 5], ids: range(40).map((i) => (i * 3) % 11 - 1), numSegments: 12,
  },
];

function bitsOf(t: tf.Tensor): number[] {
  const values = t.dataSync();
  return values instanceof Float32Array ? Array.from(new Uint32Array(values.buffer, values.byteOffset, values.length)) : Array.from(values as Int32Array);
}

async function run(backend: string, c: Case, ids = c.ids, idsShape: number[] = [c.ids.length], xShape = c.xShape) {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const x = tf.tensor(c.x, xShape, c.dtype ?? 'float32');
    const segmentIds: tf.Tensor = tf.tensor(ids, idsShape, 'int32'); // any rank (the op's type says 1)
    const out = tf.unsortedSegmentSum(x, segmentIds as tf.Tensor1D, c.numSegments);
    return {shape: out.shape, dtype: out.dtype, bits: bitsOf(out)};
  });
}

describe('UnsortedSegmentSum on wasm equals the cpu kernel bit for bit', () => {
  test.each(CASES)('$name', async (c) => {
    const before = tf.memory().numTensors;
    const wasm = await run('wasm', c);
    const cpu = await run('cpu', c);
    expect(wasm).toEqual(cpu);
    expect(wasm.shape).toEqual([c.numSegments, ...c.xShape.slice(1)]);
    expect(tf.memory().numTensors).toBe(before);
  });

  test('the doc example sums to [3, 5, 2]; order and precision matter in the float64 case', async () => {
    await tf.setBackend('wasm');
    const sum = (c: Case) => tf.tidy(() =>
      Array.from(tf.unsortedSegmentSum(tf.tensor(c.x, c.xShape), tf.tensor1d(c.ids, 'int32'), c.numSegments).dataSync()));
    expect(sum(CASES[0]!)).toEqual([3, 5, 2]);
    expect(sum(CASES.find((c) => c.name.startsWith('accumulation'))!)).toEqual([1, 6]);
  });
});

describe('segmentIds of rank 0 and > 1 sum like their flattened form (the cpu kernel handles only rank 1)', () => {
  test.each([
    {idsShape: [2, 3], xShape: [2, 3, 4]},
    {idsShape: [2, 3], xShape: [2, 3]},
    {idsShape: [2, 1, 3], xShape: [2, 1, 3, 2]},
  ])('ids $idsShape, x $xShape', async ({idsShape, xShape}) => {
    const before = tf.memory().numTensors;
    const size = xShape.reduce((a, b) => a * b, 1);
    const rows = idsShape.reduce((a, b) => a * b, 1);
    const c: Case = {name: '', x: spread(size, 7), xShape, ids: range(rows).map((i) => (i * 5) % 4 - 1), numSegments: 3};
    const wasm = await run('wasm', c, c.ids, idsShape);
    const cpuFlat = await run('cpu', c, c.ids, [rows], [rows, ...xShape.slice(idsShape.length)]);
    expect(wasm).toEqual(cpuFlat);
    expect(wasm.shape).toEqual([3, ...xShape.slice(idsShape.length)]);
    expect(tf.memory().numTensors).toBe(before);
  });

  test('scalar id: the whole x is one segment', async () => {
    await tf.setBackend('wasm');
    const out = tf.tidy(() => {
      const t = tf.engine().runKernel('UnsortedSegmentSum', {x: tf.tensor2d([1, 2, 3, 4], [2, 2]), segmentIds: tf.scalar(1, 'int32')}, {numSegments: 3}) as tf.Tensor;
      return {shape: t.shape, values: Array.from(t.dataSync())};
    });
    expect(out).toEqual({shape: [3, 2, 2], values: [0, 0, 0, 0, 1, 2, 3, 4, 0, 0, 0, 0]});
  });

  test('numSegments 0 gives an empty result (the cpu kernel fails on it)', async () => {
    await tf.setBackend('wasm');
    const shape = tf.tidy(() => tf.unsortedSegmentSum(tf.ones([2, 3]), tf.tensor1d([0, 1], 'int32'), 0).shape);
    expect(shape).toEqual([0, 3]);
  });
});

describe('bad arguments', () => {
  test.each([
    ['numSegments -1', () => ({x: tf.ones([2]), segmentIds: tf.tensor1d([0, 1], 'int32')}), {numSegments: -1},
      "UnsortedSegmentSum on wasm: numSegments is -1; it must be an integer >= 0."],
    ['numSegments 1.5', () => ({x: tf.ones([2]), segmentIds: tf.tensor1d([0, 1], 'int32')}), {numSegments: 1.5},
      'UnsortedSegmentSum on wasm: numSegments is 1.5; it must be an integer >= 0.'],
    ['float32 ids', () => ({x: tf.ones([2]), segmentIds: tf.tensor1d([0, 1])}), {numSegments: 2},
      "UnsortedSegmentSum on wasm: segmentIds has dtype 'float32'; it must be 'int32'."],
    ['ids not a prefix of x', () => ({x: tf.ones([2, 3]), segmentIds: tf.tensor1d([0, 1, 0], 'int32')}), {numSegments: 2},
      "UnsortedSegmentSum on wasm: segmentIds has shape [3], which is not a prefix of x's shape [2,3]; give one id per slice of x along its leading axes."],
    ['ids of higher rank than x', () => ({x: tf.ones([2]), segmentIds: tf.tensor2d([0, 1], [2, 1], 'int32')}), {numSegments: 2},
      "UnsortedSegmentSum on wasm: segmentIds has shape [2,1], which is not a prefix of x's shape [2]; give one id per slice of x along its leading axes."],
  ] as const)('%s', async (_, inputs, attrs, message) => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const dataBefore = tf.backend().numDataIds();
    tf.tidy(() => {
      expect(() => tf.engine().runKernel('UnsortedSegmentSum', inputs(), {...attrs})).toThrow(message);
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.backend().numDataIds()).toBe(dataBefore);
  });
});
