// Per-layer numerics under mixed_float16 against an independent reference
// written here, element by element: each op computed in double precision,
// stored as float32 (Math.fround, as tfjs's cpu kernels store), then rounded
// to float16 with the scalar reference `roundToFloat16` where real half
// precision would materialize the tensor.
import * as tf from '@tensorflow/tfjs';

import * as layers from '../../layers';
import {roundToFloat16} from '../../src/cast/round_scalar';
import {dtypeOf} from '../../src/logical_dtype';
import {expectNoTensorLeaks, useCpuBackend} from './layer_test_utils';

useCpuBackend();
expectNoTensorLeaks();

const r16 = (v: number) => roundToFloat16(Math.fround(v));
const f32 = Math.fround;

type Mat = number[][];

function values(t: tf.Tensor): number[] {
  return Array.from(t.dataSync());
}

/** Deterministic values in [-1, 1) (a small LCG: independent of tfjs). */
function seeded(n: number, seed: number, scale = 1): number[] {
  let s = seed >>> 0;
  return Array.from({length: n}, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return f32(((s / 2 ** 32) * 2 - 1) * scale);
  });
}

function rows(flat: number[], cols: number): Mat {
  return Array.from({length: flat.length / cols}, (_, i) => flat.slice(i * cols, (i + 1) * cols));
}

/** a [n x k] . b [k x m], summed in double, stored float32, then rounded. */
function matmul16(a: Mat, b: Mat): Mat {
  return a.map((row) => (b[0] as number[]).map((_, j) => r16(row.reduce((s, v, k) => s + v * (b[k] as number[])[j]!, 0))));
}

const map2 = (a: Mat, b: Mat, f: (x: number, y: number) => number): Mat => a.map((row, i) => row.map((v, j) => f(v, (b[i] as number[])[j]!)));
const map1 = (a: Mat, f: (x: number) => number): Mat => a.map((row) => row.map(f));
const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/** Largest distance in float16 ulps (at the reference's magnitude) between outputs and reference. */
function worstUlps(actual: number[], expected: number[]): number {
  let worst = 0;
  actual.forEach((a, i) => {
    const e = expected[i] as number;
    const ulp = 2 ** (Math.max(Math.floor(Math.log2(Math.abs(e) || 2 ** -14)), -14) - 10);
    worst = Math.max(worst, Math.abs(a - e) / ulp);
  });
  return worst;
}

describe('Add of a float32 and a float16 input', () => {
  it('casts the float32 input, adds in float32, rounds the sum: bit for bit', () => {
    const a = seeded(12, 1);
    const b = seeded(12, 2).map(r16);
    const x32 = tf.tensor(a, [3, 4]);
    const b32 = tf.tensor(b, [3, 4]);
    const x16 = layers.cast({dtype: 'float16'}).apply(b32) as tf.Tensor;
    const y = layers.add({dtype: 'mixed_float16'}).apply([x32, x16]) as tf.Tensor;
    expect(values(y)).toEqual(a.map((v, i) => r16(r16(v) + (b[i] as number))));
    expect(dtypeOf(y)).toBe('float16');
    // Not vacuous: adding the unrounded float32 input differs somewhere.
    expect(values(y)).not.toEqual(a.map((v, i) => r16(v + (b[i] as number))));
    tf.dispose([x32, b32, x16, y]);
  });
});

describe('Embedding', () => {
  it('looks up in float32 and rounds the rows: bit for bit; ids above 2048 are not cast', () => {
    const table = seeded(3000 * 2, 3);
    const layer = layers.embedding({inputDim: 3000, outputDim: 2, dtype: 'mixed_float16'});
    const ids = [0, 2049, 2999, 7];
    const x = tf.tensor([ids]);
    tf.dispose(layer.apply(x) as tf.Tensor);
    const t = tf.tensor(table, [3000, 2]);
    layer.setWeights([t]);
    const y = layer.apply(x) as tf.Tensor;
    expect(values(y)).toEqual(ids.flatMap((id) => [r16(table[2 * id]!), r16(table[2 * id + 1]!)]));
    // The table stays float32.
    expect(values(layer.getWeights()[0]!)).toEqual(table);
    tf.dispose([x, t, y]);
    layer.dispose();
  });
});

describe('BatchNormalization', () => {
  const [n, c] = [4, 3];
  const x = seeded(n * c, 5, 3);
  const gamma = seeded(c, 6).map((v) => f32(v + 1.5));
  const beta = seeded(c, 7);
  const mean = seeded(c, 8);
  const variance = seeded(c, 9).map((v) => f32(v + 1.2));
  const eps = 1e-3;

  function make() {
    const layer = layers.batchNormalization({dtype: 'mixed_float16', momentum: 0.9});
    const xt = tf.tensor(x, [n, c]);
    tf.dispose(layer.apply(xt) as tf.Tensor);
    const w = [gamma, beta, mean, variance].map((v) => tf.tensor(v));
    layer.setWeights(w);
    tf.dispose(w);
    return {layer, xt};
  }

  it('inference: the input rounded, normalized in float32 with float32 statistics, the output rounded: bit for bit', () => {
    const {layer, xt} = make();
    const y = layer.apply(xt) as tf.Tensor;
    const expected = x.map((v, i) => {
      const k = i % c;
      // tfjs's cpu kernel: offset + (x - mean) * scale / sqrt(variance + eps), in double.
      return r16(beta[k]! + ((r16(v) - mean[k]!) * gamma[k]!) / Math.sqrt(variance[k]! + f32(eps)));
    });
    expect(values(y)).toEqual(expected);
    tf.dispose([xt, y]);
    layer.dispose();
  });

  it('training: batch statistics of the rounded input in float32, output within 1 float16 ulp; moving statistics float32', () => {
    const {layer, xt} = make();
    const y = layer.apply(xt, {training: true}) as tf.Tensor;
    const x16 = x.map(r16);
    const bm = Array.from({length: c}, (_, k) => x16.filter((_, i) => i % c === k).reduce((s, v) => s + v, 0) / n);
    const bv = Array.from({length: c}, (_, k) => x16.filter((_, i) => i % c === k).reduce((s, v) => s + (v - bm[k]!) ** 2, 0) / n);
    const expected = x16.map((v, i) => {
      const k = i % c;
      return r16(beta[k]! + ((v - bm[k]!) * gamma[k]!) / Math.sqrt(bv[k]! + eps));
    });
    expect(worstUlps(values(y), expected)).toBeLessThanOrEqual(1);
    // Moving statistics: float32 values (not float16-rounded), Keras's update rule.
    const movingMean = values(layer.getWeights()[2]!);
    movingMean.forEach((m, k) => expect(m).toBeCloseTo(mean[k]! * 0.9 + bm[k]! * 0.1, 6));
    expect(movingMean.some((m) => r16(m) !== m)).toBe(true);
    tf.dispose([xt, y]);
    layer.dispose();
  });
});

describe('LayerNormalization', () => {
  it('the input rounded, normalized in float32, the output within 1 float16 ulp of the reference', () => {
    const [n, d] = [3, 5];
    const x = seeded(n * d, 11, 4);
    const layer = layers.layerNormalization({dtype: 'mixed_float16'});
    const xt = tf.tensor(x, [n, d]);
    tf.dispose(layer.apply(xt) as tf.Tensor);
    const gamma = seeded(d, 12).map((v) => f32(v + 1));
    const beta = seeded(d, 13);
    const w = [tf.tensor(gamma), tf.tensor(beta)];
    layer.setWeights(w);
    const y = layer.apply(xt) as tf.Tensor;
    const expected = rows(x.map(r16), d).flatMap((row) => {
      const m = row.reduce((s, v) => s + v, 0) / d;
      const v2 = row.reduce((s, v) => s + (v - m) ** 2, 0) / d;
      return row.map((v, j) => r16(((v - m) / Math.sqrt(v2 + 1e-3)) * gamma[j]! + beta[j]!));
    });
    expect(worstUlps(values(y), expected)).toBeLessThanOrEqual(1);
    expect(dtypeOf(y)).toBe('float16');
    tf.dispose([xt, y, ...w]);
    layer.dispose();
  });
});

describe('masked Softmax', () => {
  it('adds -65504/2 where masked (finite in float16): masked positions 0, a fully masked row uniform, never NaN', () => {
    const x = seeded(8, 14, 3);
    const mask = [1, 1, 0, 1, 0, 0, 0, 0];
    const layer = layers.softmax({dtype: 'mixed_float16'});
    const xt = tf.tensor(x, [2, 4]);
    const mt = tf.tensor(mask, [2, 4], 'bool');
    const y = layer.apply(xt, {mask: mt}) as tf.Tensor;
    const expected = rows(x, 4).flatMap((row, i) => {
      const logits = row.map((v, j) => r16(r16(v) + r16((1 - mask[4 * i + j]!) * (-65504 / 2))));
      const max = Math.max(...logits);
      const e = logits.map((v) => Math.exp(v - max));
      const s = e.reduce((a, b) => a + b, 0);
      return e.map((v) => r16(v / s));
    });
    const got = values(y);
    expect(got.every((v) => Number.isFinite(v))).toBe(true);
    expect(worstUlps(got, expected)).toBeLessThanOrEqual(1);
    expect(got[2]).toBe(0);
    expect(got.slice(4)).toEqual([0.25, 0.25, 0.25, 0.25]);
    tf.dispose([xt, mt, y]);
    layer.dispose();
  });
});

describe('recurrent layers: every op of every step rounded, variables read in float16', () => {
  const [batch, steps, inDim, units] = [2, 3, 2, 2];
  const x = seeded(batch * steps * inDim, 21);
  const stepInput = (t: number): Mat => Array.from({length: batch}, (_, b) => x.slice((b * steps + t) * inDim, (b * steps + t + 1) * inDim).map(r16));

  function run(layer: tf.layers.Layer, weights: number[][], shapes: number[][]): number[] {
    const xt = tf.tensor(x, [batch, steps, inDim]);
    tf.dispose(layer.apply(xt) as tf.Tensor);
    const w = weights.map((v, i) => tf.tensor(v, shapes[i]));
    layer.setWeights(w);
    const y = layer.apply(xt) as tf.Tensor;
    const out = values(y);
    expect(dtypeOf(y)).toBe('float16');
    tf.dispose([xt, y, ...w]);
    layer.dispose();
    return out;
  }

  it('LSTM (sigmoid gates) within 1 float16 ulp of the per-op reference', () => {
    const kernel = seeded(inDim * 4 * units, 22);
    const recurrent = seeded(units * 4 * units, 23);
    const bias = seeded(4 * units, 24);
    const got = run(
      layers.lstm({units, recurrentActivation: 'sigmoid', dtype: 'mixed_float16'}),
      [kernel, recurrent, bias],
      [[inDim, 4 * units], [units, 4 * units], [4 * units]],
    );
    const K = rows(kernel.map(r16), 4 * units);
    const R = rows(recurrent.map(r16), 4 * units);
    const B = bias.map(r16);
    let h: Mat = [[0, 0], [0, 0]];
    let c: Mat = [[0, 0], [0, 0]];
    for (let t = 0; t < steps; t++) {
      let z = map2(matmul16(stepInput(t), K), matmul16(h, R), (a, b) => r16(a + b));
      z = z.map((row) => row.map((v, j) => r16(v + B[j]!)));
      const part = (p: number) => z.map((row) => row.slice(p * units, (p + 1) * units));
      const i = map1(part(0), (v) => r16(sigmoid(v)));
      const f = map1(part(1), (v) => r16(sigmoid(v)));
      const g = map1(part(2), (v) => r16(Math.tanh(v)));
      const o = map1(part(3), (v) => r16(sigmoid(v)));
      c = map2(map2(f, c, (a, b) => r16(a * b)), map2(i, g, (a, b) => r16(a * b)), (a, b) => r16(a + b));
      h = map2(o, map1(c, (v) => r16(Math.tanh(v))), (a, b) => r16(a * b));
    }
    expect(worstUlps(got, h.flat())).toBeLessThanOrEqual(1);
  });

  it('GRU within 1 float16 ulp of the per-op reference', () => {
    const kernel = seeded(inDim * 3 * units, 31);
    const recurrent = seeded(units * 3 * units, 32);
    const bias = seeded(3 * units, 33);
    const got = run(
      layers.gru({units, recurrentActivation: 'sigmoid', dtype: 'mixed_float16'}),
      [kernel, recurrent, bias],
      [[inDim, 3 * units], [units, 3 * units], [3 * units]],
    );
    const K = rows(kernel.map(r16), 3 * units);
    const R = rows(recurrent.map(r16), 3 * units);
    const B = bias.map(r16);
    const Rzr = R.map((row) => row.slice(0, 2 * units));
    const Rh = R.map((row) => row.slice(2 * units));
    let h: Mat = [[0, 0], [0, 0]];
    for (let t = 0; t < steps; t++) {
      const mx = matmul16(stepInput(t), K).map((row) => row.map((v, j) => r16(v + B[j]!)));
      const inner = matmul16(h, Rzr);
      const slice = (m: Mat, p: number) => m.map((row) => row.slice(p * units, (p + 1) * units));
      const z = map1(map2(slice(mx, 0), slice(inner, 0), (a, b) => r16(a + b)), (v) => r16(sigmoid(v)));
      const r = map1(map2(slice(mx, 1), slice(inner, 1), (a, b) => r16(a + b)), (v) => r16(sigmoid(v)));
      const recurrentH = matmul16(map2(r, h, (a, b) => r16(a * b)), Rh);
      const hh = map1(map2(slice(mx, 2), recurrentH, (a, b) => r16(a + b)), (v) => r16(Math.tanh(v)));
      h = map2(map2(z, h, (a, b) => r16(a * b)), map2(map1(z, (v) => r16(1 - v)), hh, (a, b) => r16(a * b)), (a, b) => r16(a + b));
    }
    expect(worstUlps(got, h.flat())).toBeLessThanOrEqual(1);
  });
});
