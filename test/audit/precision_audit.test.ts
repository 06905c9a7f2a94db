import * as tf from '@tensorflow/tfjs';

import * as mp from '../../src';

// Quiet: no "running TensorFlow.js in Node.js" banner in the test output.
tf.env().set('IS_TEST', true);
beforeAll(() => tf.setBackend('cpu'));

// Independent classification by float16's thresholds (the values below are
// chosen away from the boundaries, so rounding cannot move them across).
function expectedCounts(values: number[]): {overflow: number; flushed: number; subnormal: number} {
  let overflow = 0;
  let flushed = 0;
  let subnormal = 0;
  for (const v of values) {
    const a = Math.abs(v);
    if (a >= 65520) overflow++;
    else if (a > 0 && a <= 2 ** -25) flushed++;
    else if (a > 2 ** -25 && a < 2 ** -14) subnormal++;
  }
  return {overflow, flushed, subnormal};
}

const X = [
  [1, 2, 3, 0.5],
  [-0.25, 1.5, -2.5, 0.75],
];
const K_A = 30000; // A = 30000 x: 60000 stays, 90000 overflows float16
const K_B = 1e-9; // B = 1e-9 A: float16 subnormals
const Y = [
  [0, 0, 0, 0],
  [0, 0, 0, 0],
];

/** input -> A (dense 4, kernel 30000 I) -> B (dense 4, kernel 1e-9 I), no biases. */
function craftedModel(): tf.LayersModel {
  const input = tf.input({shape: [4], name: 'x'});
  const a = tf.layers.dense({units: 4, useBias: false, name: 'A', kernelInitializer: tf.initializers.identity({gain: K_A})});
  const b = tf.layers.dense({units: 4, useBias: false, name: 'B', kernelInitializer: tf.initializers.identity({gain: K_B})});
  return tf.model({inputs: input, outputs: b.apply(a.apply(input)) as tf.SymbolicTensor});
}

// The crafted model's values in float64: outputs and, for the mean squared
// error, the gradients (dL/dB = 2 (B - y) / n, dL/dA = K_B dL/dB, ...).
function reference() {
  const f = Math.fround;
  const a = X.map((row) => row.map((v) => f(v * f(K_A))));
  const b = a.map((row) => row.map((v) => f(v * f(K_B))));
  const n = 8;
  const gB = b.map((row, i) => row.map((v, j) => (2 * (v - (Y[i]![j] as number))) / n));
  const gA = gB.map((row) => row.map((g) => g * f(K_B)));
  const gX = gA.map((row) => row.map((g) => g * f(K_A)));
  // dL/dK[i][j] = sum over the batch of input[b][i] * g[b][j].
  const outer = (inp: number[][], g: number[][]) =>
    [0, 1, 2, 3].flatMap((i) => [0, 1, 2, 3].map((j) => inp.reduce((s, row, k) => s + (row[i] as number) * (g[k]![j] as number), 0)));
  return {x: X.flat(), a: a.flat(), b: b.flat(), gX: gX.flat(), gA: gA.flat(), gB: gB.flat(), gKA: outer(X, gA), gKB: outer(a, gB)};
}

describe('precisionAudit on a crafted model', () => {
  const model = craftedModel();
  const x = tf.tensor2d(X);
  const y = tf.tensor2d(Y);
  const audit = mp.precisionAudit(model, x, y, {loss: 'meanSquaredError'});
  const ref = reference();
  const layer = (name: string) => audit.layers.find((l) => l.name === name)!;

  it.each([
    ['x', 'outputs', 'x'],
    ['A', 'outputs', 'a'],
    ['B', 'outputs', 'b'],
    ['A', 'activationGrads', 'gA'],
    ['B', 'activationGrads', 'gB'],
    ['A', 'weightGrads', 'gKA'],
    ['B', 'weightGrads', 'gKB'],
  ] as const)('%s %s: float16 counts as computed independently', (name, what, key) => {
    const stats = layer(name)[what]!;
    const values = ref[key];
    const expected = expectedCounts(values);
    expect(stats.formats.float16.counts).toEqual(expected);
    expect(stats.formats.float16.overflow).toBe(expected.overflow / values.length);
    expect(stats.count).toBe(values.length);
    const nonZero = values.filter((v) => v !== 0).map(Math.abs);
    expect(stats.maxAbs).toBeCloseTo(Math.max(...nonZero), 5);
    expect(stats.minAbs / Math.min(...nonZero)).toBeCloseTo(1, 5);
  });

  it('the crafted values really overflow and underflow (the test is not vacuous)', () => {
    expect(expectedCounts(ref.a).overflow).toBe(2); // 90000 and -75000
    expect(expectedCounts(ref.b).subnormal).toBeGreaterThan(4);
    expect(expectedCounts(ref.gKA).flushed).toBe(16);
    expect(expectedCounts(ref.gX).flushed).toBe(8);
  });

  it('gives verdicts: A keep float32 (outputs overflow), B fine, bfloat16 fine; the input has values only', () => {
    expect(layer('A').verdicts.float16.verdict).toBe('keep float32');
    expect(layer('A').verdicts.float16.reasons).toEqual([
      '25.0% of its outputs overflow to Inf',
      '100% of its activation gradients flush to zero',
      '100% of its weight gradients flush to zero',
    ]);
    expect(layer('x').activationGrads).toBeNull();
    expect(layer('x').verdicts.float16.verdict).toBe('fine');
    expect(layer('B').verdicts.float16.verdict).toBe('fine');
    expect(audit.layers.map((l) => l.verdicts.bfloat16.verdict)).toEqual(['fine', 'fine', 'fine']);
    expect(audit.summary.float16.verdict).toBe('keep float32');
  });

  it('the loss-scale range brings every gradient of a layer into float16 range', () => {
    const grads = [...ref.gA, ...ref.gKA].filter((v) => v !== 0).map(Math.abs);
    const lo = Math.min(...grads);
    const hi = Math.max(...grads);
    const {minLog2, maxLog2} = layer('A').verdicts.float16.lossScale!;
    expect(lo * 2 ** minLog2).toBeGreaterThanOrEqual(2 ** -24);
    expect(lo * 2 ** (minLog2 - 1)).toBeLessThan(2 ** -24);
    expect(hi * 2 ** maxLog2).toBeLessThanOrEqual(65504);
    expect(hi * 2 ** (maxLog2 + 1)).toBeGreaterThan(65504);
  });

  it('reports the float32 loss and the relative error of the rounded outputs', () => {
    const expectedLoss = ref.b.reduce((s, v) => s + v * v, 0) / 8;
    expect(audit.loss! / expectedLoss).toBeCloseTo(1, 5);
    expect(layer('A').outputs!.formats.float16.relativeError).toBe(Infinity);
    const rounded = ref.b.map((v) => mp.roundToFloat16(v));
    const err = Math.sqrt(ref.b.reduce((s, v, i) => s + (rounded[i]! - v) ** 2, 0) / ref.b.reduce((s, v) => s + v * v, 0));
    expect(layer('B').outputs!.formats.float16.relativeError / err).toBeCloseTo(1, 5);
  });

  it('prints a table and draws every layer', () => {
    const table = mp.formatPrecisionAudit(audit);
    expect(table.split('\n')[0]).toMatch(/^layer +outputs \|x\| +f16 out Inf/);
    expect(table).toContain('float16: keep float32; loss scales keeping every gradient in range: ');
    const svg = mp.precisionAuditSvg(audit);
    expect(svg.startsWith('<svg')).toBe(true);
    for (const name of ['x', 'A', 'B']) expect(svg).toContain(`>${name}</text>`);
    expect(mp.formatPrecisionAudit(audit, {markdown: true})).toContain('| layer | outputs \\|x\\| |');
  });

  afterAll(() => {
    tf.dispose([x, y]);
    model.dispose();
  });
});

describe('precisionAudit: needs loss scaling', () => {
  it('flags a layer whose gradients flush to zero, and its loss scales bring them back', () => {
    const input = tf.input({shape: [2]});
    const d = tf.layers.dense({units: 2, name: 'D', kernelInitializer: 'identity'});
    const model = tf.model({inputs: input, outputs: d.apply(input) as tf.SymbolicTensor});
    const x = tf.tensor2d([[1, 2], [3, 4]]);
    // dL/dD = 1e-9 everywhere: below float16's 2^-25; dL/dkernel = 1e-9 * column sums of x; dL/dbias = 2e-9.
    const loss = (_: tf.Tensor, p: tf.Tensor) => tf.mul(tf.sum(p), 1e-9);
    const audit = mp.precisionAudit(model, x, x, {loss});
    const D = audit.layers.find((l) => l.name === 'D')!;
    const grads = [1e-9, 1e-9, 1e-9, 1e-9, 4e-9, 4e-9, 6e-9, 6e-9, 2e-9, 2e-9];
    expect(D.activationGrads!.formats.float16.counts).toEqual(expectedCounts(grads.slice(0, 4)));
    expect(D.weightGrads!.formats.float16.counts).toEqual(expectedCounts(grads.slice(4)));
    expect(D.verdicts.float16).toEqual({
      verdict: 'needs loss scaling',
      reasons: ['100% of its activation gradients flush to zero', '100% of its weight gradients flush to zero'],
      lossScale: {minLog2: Math.ceil(Math.log2(2 ** -24 / Math.fround(1e-9))), maxLog2: Math.floor(Math.log2(65504 / Math.fround(6e-9)))},
    });
    expect(D.verdicts.bfloat16.verdict).toBe('fine');
    tf.dispose(x);
    model.dispose();
  });
});

describe('precisionAudit leaves the model alone', () => {
  it('weights, optimizer state, global policy unchanged; no tensor leaked; with and without labels', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({inputShape: [3], units: 5, activation: 'relu'}),
        tf.layers.batchNormalization(),
        tf.layers.dropout({rate: 0.5}),
        tf.layers.dense({units: 2, activation: 'softmax'}),
      ],
    });
    model.compile({optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy'});
    const xs = tf.randomNormal([6, 3], 0, 1, 'float32', 1);
    const ys = tf.oneHot(tf.tensor1d([0, 1, 1, 0, 1, 0], 'int32'), 2).toFloat();
    await model.fit(xs, ys, {epochs: 1, verbose: 0});
    const snapshot = async () => ({
      weights: model.getWeights().map((w) => Array.from(w.dataSync())),
      optimizer: await Promise.all((await model.optimizer.getWeights()).map(async (w) => [w.name, Array.from(await w.tensor.data())])),
    });
    const before = await snapshot();
    const tensors = tf.memory().numTensors;
    const withLabels = mp.precisionAudit(model, xs, ys); // the compiled loss
    const withoutLabels = mp.precisionAudit(model, xs);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(await snapshot()).toEqual(before);
    expect(mp.globalPolicy().name).toBe('float32');
    // A Sequential's input layer comes first: values only.
    expect(withLabels.layers.map((l) => [l.className, l.weightGrads === null])).toEqual([
      ['InputLayer', true],
      ['Dense', false],
      ['BatchNormalization', false],
      ['Dropout', true],
      ['Dense', false],
    ]);
    expect(withLabels.layers[0]!.outputs!.count).toBe(18);
    expect(withoutLabels.layers.every((l) => l.activationGrads === null && l.weightGrads === null)).toBe(true);
    expect(withoutLabels.loss).toBeNull();
    tf.dispose([xs, ys]);
    model.dispose();
  });
});

describe('precisionAudit arguments', () => {
  const model = craftedModel();
  const x = tf.zeros([2, 4]);
  afterAll(() => {
    x.dispose();
    model.dispose();
  });
  it.each([
    [() => mp.precisionAudit({} as tf.LayersModel, x), 'precisionAudit: model must be a tf.LayersModel; received {}.'],
    [() => mp.precisionAudit(model, [x, x]), 'precisionAudit: x must be a tensor (the model has 1 inputs); received'],
    [() => mp.precisionAudit(model, x, x), "options.loss must be a function (yTrue, yPred) => tensor or one of 'meanSquaredError'"],
    [() => mp.precisionAudit(model, x, x, {loss: 'hinge' as 'meanSquaredError'}), "received 'hinge'."],
    [() => mp.precisionAudit(model, x, undefined, {flushTolerance: 2}), 'options.flushTolerance must be a number from 0 to 1; received 2.'],
  ])('refuses bad input %#', (call, message) => {
    const before = tf.memory().numTensors;
    expect(call).toThrow(message);
    expect(tf.memory().numTensors).toBe(before);
  });
});
