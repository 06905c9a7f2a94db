import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

import {cast} from '../../src/cast/cast';
import {NarrowDtype} from '../../src/cast/narrow_dtype';
import {roundToBfloat16, roundToFloat16} from '../../src/cast/round_scalar';
import {registerFallbackBackend} from './fallback_backend';

// The gradient of cast to a narrow dtype is the upstream gradient rounded
// to that dtype, through every tfjs training entry point.

const FALLBACK = 'mp-test-fallback-grad';
let removeFallback: () => void = () => undefined;

beforeAll(async () => {
  removeFallback = await registerFallbackBackend(FALLBACK);
});
afterAll(() => removeFallback());

const REFERENCE: Record<NarrowDtype | 'float32', (v: number) => number> = {
  float16: roundToFloat16,
  bfloat16: roundToBfloat16,
  float32: Math.fround,
};

describe.each(['cpu', 'wasm', FALLBACK])('gradient of cast on %s', (backend) => {
  beforeAll(async () => {
    await tf.setBackend(backend);
  });

  test.each([
    ['float16', 1e-8, 0],
    ['float16', -1e-8, -0],
    ['float16', 1.1, 1.099609375],
    ['float16', 70000, Infinity],
    ['float16', 3e-5, roundToFloat16(3e-5)], // a subnormal float16 gradient
    ['bfloat16', 1 + 2 ** -8, 1],
    ['bfloat16', 1e-8, roundToBfloat16(1e-8)],
    ['float32', 1e-8, Math.fround(1e-8)],
  ] as const)('tf.grad under %s: upstream %p becomes %p', (dtype, upstream, expected) => {
    const before = tf.memory().numTensors;
    const x = tf.tensor([1, 2]);
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(cast(v, dtype), upstream)))(x);
    expect(Array.from(g.dataSync())).toEqual([expected, expected]);
    expect(REFERENCE[dtype](upstream)).toBe(expected);
    tf.dispose([x, g]);
    expect(tf.memory().numTensors).toBe(before);
  });

  test('second derivative goes through the same rounding', () => {
    const before = tf.memory().numTensors;
    const x = tf.scalar(3);
    // d/dx of (d/dx cast(x)^2 * c): each cast contributes a rounding.
    const gg = tf.grad((v: tf.Tensor) =>
      tf.grad((w: tf.Tensor) => tf.mul(tf.square(cast(w, 'float16')), 1.1))(v),
    )(x);
    // Forward: 1.1 * h^2; first grad: round(2.2 * h); second: round(round(2.2)).
    expect(gg.dataSync()[0]).toBe(roundToFloat16(Math.fround(2 * roundToFloat16(Math.fround(1.1)))));
    tf.dispose([x, gg]);
    expect(tf.memory().numTensors).toBe(before);
  });

  test('tf.variableGrads gives the rounded gradient', () => {
    const before = tf.memory().numTensors;
    const init = tf.tensor([1.5, -2]);
    const v = tf.variable(init, true, `v_${backend}_vg`);
    init.dispose();
    const {value, grads} = tf.variableGrads(() => tf.sum(tf.mul(cast(v, 'float16'), 1e-3)));
    expect(Array.from((grads[v.name] as tf.Tensor).dataSync())).toEqual([
      roundToFloat16(1e-3),
      roundToFloat16(1e-3),
    ]);
    tf.dispose([value, grads[v.name] as tf.Tensor, v]);
    expect(tf.memory().numTensors).toBe(before);
  });

  test.each([
    [1e-8, 1.5], // the float16 gradient underflows: no update
    [1e-3, Math.fround(1.5 - roundToFloat16(1e-3))],
  ])('optimizer.minimize with upstream %p updates 1.5 to %p', (upstream, expected) => {
    const before = tf.memory().numTensors;
    const init = tf.tensor([1.5]);
    const v = tf.variable(init, true, `v_${backend}_min_${upstream}`);
    init.dispose();
    const sgd = tf.train.sgd(1);
    sgd.minimize(() => tf.sum(tf.mul(cast(v, 'float16'), upstream)) as tf.Scalar);
    expect(v.dataSync()[0]).toBe(expected);
    sgd.dispose();
    v.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

/** A minimal layer that casts its input, for model.fit. */
class CastLayer extends tf.layers.Layer {
  static readonly className = 'MpTestCastLayer';
  constructor(private readonly roundTo: NarrowDtype) {
    super({});
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    return cast(x, this.roundTo);
  }
}

describe.each(['cpu', 'wasm'])('model.fit through cast on %s', (backend) => {
  beforeAll(async () => {
    await tf.setBackend(backend);
  });

  test.each([
    [1e-8, 1], // gradient underflows in float16: the weight stays
    [1e-3, Math.fround(1 - roundToFloat16(1e-3))],
  ])('loss sum(y * %p) moves a unit weight to %p', async (scale, expected) => {
    const before = tf.memory().numTensors;
    const model = tf.sequential({
      layers: [
        tf.layers.dense({units: 1, inputShape: [1], useBias: false, kernelInitializer: 'ones'}),
        new CastLayer('float16'),
      ],
    });
    const optimizer = tf.train.sgd(1);
    model.compile({
      optimizer,
      loss: (_yTrue: tf.Tensor, yPred: tf.Tensor) => tf.sum(tf.mul(yPred, scale)),
    });
    const xs = tf.tensor([[1]]);
    const ys = tf.tensor([[0]]);
    await model.fit(xs, ys, {epochs: 1, batchSize: 1, verbose: 0});
    const [kernel] = model.getWeights();
    expect((kernel as tf.Tensor).dataSync()[0]).toBe(expected);
    tf.dispose([xs, ys]);
    model.dispose();
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
