import * as tf from '@tensorflow/tfjs';
import {LossScaleOptimizer, isLossScaleOptimizer} from '../../src/loss_scale/loss_scale_optimizer';
import {OPTIMIZER_CASES, disposeAllVariables, snapshotAllVariables} from './optimizer_cases';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => disposeAllVariables());

function makeVariables() {
  return {
    a: tf.variable(tf.tensor1d([0.5, -1, 2]), true, 'a'),
    b: tf.variable(tf.tensor2d([[1, 2], [3, -4]]), true, 'b'),
  };
}

// A loss of both variables, times `poison` on b only: NaN/Inf in b's gradient
// alone must still skip the whole step.
function lossOf(a: tf.Variable, b: tf.Variable, poison = 1): () => tf.Scalar {
  return () => tf.add(tf.sum(tf.square(a)), tf.sum(tf.mul(tf.square(b), poison))) as tf.Scalar;
}

describe("Keras's published behaviour", () => {
  test('initial 2, growth period 1: a finite step gives 4, a NaN step gives 2 with the variable unchanged', () => {
    const v = tf.variable(tf.scalar(1), true, 'v');
    const lso = new LossScaleOptimizer(tf.train.sgd(1), {initialScale: 2, dynamicGrowthSteps: 1});
    lso.minimize(() => tf.mul(v, 1) as tf.Scalar);
    expect(lso.lossScale).toBe(4);
    expect(v.dataSync()[0]).toBe(0);
    lso.minimize(() => tf.mul(v, NaN) as tf.Scalar);
    expect(lso.lossScale).toBe(2);
    expect(v.dataSync()[0]).toBe(0);
    expect(lso.skippedSteps).toBe(1);
    expect(lso.iterations).toBe(1);
    lso.dispose();
  });

  test('defaults: scale 2^15, 2000 growth steps', () => {
    const lso = new LossScaleOptimizer(tf.train.sgd(1));
    expect([lso.lossScale, lso.goodSteps, lso.skippedSteps, lso.dynamic]).toEqual([32768, 0, 0, true]);
    expect(lso.getConfig()).toMatchObject({dynamicGrowthSteps: 2000});
  });
});

describe('a skipped step leaves every variable and every slot bit-identical', () => {
  const POISONS: [string, number][] = [
    ['NaN', NaN],
    ['Inf', Infinity],
    ['overflow of the scaled gradient', 1e36],
  ];
  describe.each(OPTIMIZER_CASES)('%s', (_name, make) => {
    test.each(POISONS)('%s gradient', (_p, poison) => {
      const {a, b} = makeVariables();
      const inner = make();
      const lso = new LossScaleOptimizer(inner, {initialScale: 2 ** 10, dynamicGrowthSteps: 1000});
      // Warm up so every slot exists and holds non-trivial values.
      for (let i = 0; i < 3; i++) {
        lso.minimize(lossOf(a, b), false, [a, b]);
      }
      expect(lso.goodSteps).toBe(3);
      const vars = snapshotAllVariables();
      const iterations = inner.iterations;
      const numTensors = tf.memory().numTensors;

      lso.minimize(lossOf(a, b, poison), false, [a, b]);

      expect(snapshotAllVariables()).toEqual(vars);
      expect(inner.iterations).toBe(iterations);
      expect(lso.iterations).toBe(iterations);
      expect([lso.lossScale, lso.goodSteps, lso.skippedSteps]).toEqual([2 ** 9, 0, 1]);
      expect(tf.memory().numTensors).toBe(numTensors);

      // And training goes on: a finite step changes the variables again.
      lso.minimize(lossOf(a, b), false, [a, b]);
      expect(snapshotAllVariables()).not.toEqual(vars);
      expect(inner.iterations).toBe(iterations + 1);
      lso.dispose();
    });
  });
});

describe('finite steps', () => {
  test.each(OPTIMIZER_CASES)('%s: same result as the bare optimizer (power-of-two scale)', (_name, make) => {
    const run = (wrap: boolean) => {
      const {a, b} = makeVariables();
      const inner = make();
      const opt = wrap ? new LossScaleOptimizer(inner, {initialScale: 2 ** 12, dynamicGrowthSteps: 2}) : inner;
      for (let i = 0; i < 4; i++) {
        opt.minimize(lossOf(a, b), false, [a, b]);
      }
      const out = [Array.from(a.dataSync()), Array.from(b.dataSync())];
      opt.dispose();
      disposeAllVariables();
      return out;
    };
    expect(run(true)).toEqual(run(false));
  });

  test('minimize without varList and with returnCost returns the unscaled loss', () => {
    const {a, b} = makeVariables();
    const lso = new LossScaleOptimizer(tf.train.sgd(0.01), {initialScale: 1000});
    const cost = lso.minimize(lossOf(a, b), true);
    // 0.25 + 1 + 4 + 1 + 4 + 9 + 16 = 35.25, exactly, not 35250 / 1000.
    expect(cost!.dataSync()[0]).toBe(35.25);
    cost!.dispose();
    lso.dispose();
  });

  test('two device reads per applied step and one per skipped step, however many variables', () => {
    const vars = Array.from({length: 6}, (_, i) => tf.variable(tf.fill([4], i + 1), true, `w${i}`));
    const lso = new LossScaleOptimizer(tf.train.adam(0.01));
    const f = (poison = 1) => () => tf.mul(tf.addN(vars.map((v) => tf.sum(tf.square(v)))), poison) as tf.Scalar;
    lso.minimize(f(), false, vars); // warm-up creates the slots
    const reads = () => {
      const spy = jest.spyOn(tf.engine().backend, 'readSync');
      const spyAsync = jest.spyOn(tf.engine().backend, 'read');
      return () => {
        const counts = [spy.mock.calls.length, spyAsync.mock.calls.length];
        spy.mockRestore();
        spyAsync.mockRestore();
        return counts;
      };
    };
    let stop = reads();
    lso.minimize(f(), false, vars);
    expect(stop()).toEqual([2, 0]); // the gradients' finiteness, then the updated variables'
    stop = reads();
    lso.minimize(f(NaN), false, vars);
    expect(stop()).toEqual([1, 0]);
    lso.dispose();
  });
});

describe('custom loops', () => {
  test('getScaledLoss + tf.variableGrads + getUnscaledGradients + applyGradients', () => {
    const {a, b} = makeVariables();
    const lso = new LossScaleOptimizer(tf.train.sgd(0.1), {initialScale: 256, dynamicGrowthSteps: 1});
    const before = tf.memory().numTensors;
    const {value, grads} = tf.variableGrads(() => lso.getScaledLoss(lossOf(a, b)()));
    expect(value.dataSync()[0]).toBe(35.25 * 256);
    expect(Array.from(grads['a']!.dataSync())).toEqual([256, -512, 1024]);
    const unscaled = lso.getUnscaledGradients(grads);
    expect(Array.from(unscaled['a']!.dataSync())).toEqual([1, -2, 4]);
    lso.applyGradients(unscaled);
    expect(Array.from(a.dataSync())).toEqual([0.5 - 0.1, -1 + 0.2, 2 - 0.4].map(Math.fround));
    expect(lso.lossScale).toBe(512);
    tf.dispose([value, grads, unscaled]);
    expect(tf.memory().numTensors).toBe(before);
    lso.dispose();
  });

  test('getScaledLoss takes a function returning the loss and returns one (Keras), scaled when called', () => {
    const {a, b} = makeVariables();
    const lso = new LossScaleOptimizer(tf.train.sgd(0.1), {initialScale: 256, dynamicGrowthSteps: 1});
    const before = tf.memory().numTensors;
    const scaled = lso.getScaledLoss(lossOf(a, b));
    expect(typeof scaled).toBe('function');
    const {value, grads} = tf.variableGrads(scaled);
    expect(value.dataSync()[0]).toBe(35.25 * 256);
    expect(Array.from(grads['a']!.dataSync())).toEqual([256, -512, 1024]);
    const unscaled = lso.getUnscaledGradients(grads);
    lso.applyGradients(unscaled);
    expect(lso.lossScale).toBe(512);
    // The scale is read when the function is called: now 512.
    const again = scaled();
    const loss = tf.tidy(() => lossOf(a, b)().dataSync()[0]!);
    expect(again.dataSync()[0]).toBe(Math.fround(loss * 512));
    tf.dispose([value, grads, unscaled, again]);
    expect(tf.memory().numTensors).toBe(before);
    lso.dispose();
  });

  test.each([
    ['a number', 3, "LossScaleOptimizer.getScaledLoss: loss must be a tensor (the loss) or a function returning one; received 3."],
    ['an array', [1], 'LossScaleOptimizer.getScaledLoss: loss must be a tensor (the loss) or a function returning one; received [1].'],
  ])('getScaledLoss refuses %s', (_name, value, message) => {
    const lso = new LossScaleOptimizer(tf.train.sgd(0.1));
    expect(() => lso.getScaledLoss(value as never)).toThrow(message);
    expect(() => (lso.getScaledLoss(() => value as never) as () => tf.Tensor)()).toThrow(
      message.replace('loss must be', 'the value returned by loss() must be'),
    );
  });

  test('computeGradients returns the unscaled value and gradients; applyGradients skips non-finite ones', () => {
    const {a, b} = makeVariables();
    const lso = new LossScaleOptimizer(tf.train.sgd(0.1), {initialScale: 64});
    const {value, grads} = lso.computeGradients(lossOf(a, b), [a, b]);
    expect(value.dataSync()[0]).toBe(35.25);
    expect(Array.from(grads['b']!.dataSync())).toEqual([2, 4, 6, -8]);
    tf.dispose([value, grads]);

    const bad = lso.computeGradients(lossOf(a, b, NaN), [a, b]);
    const snapshot = snapshotAllVariables();
    lso.applyGradients([{name: 'a', tensor: bad.grads['a']!}, {name: 'b', tensor: bad.grads['b']!}]);
    expect(snapshotAllVariables()).toEqual(snapshot);
    expect([lso.lossScale, lso.skippedSteps]).toEqual([32, 1]);
    tf.dispose([bad.value, bad.grads]);
    lso.dispose();
  });

  test('fixed scaling never changes the scale but still skips non-finite steps', () => {
    const {a, b} = makeVariables();
    const lso = new LossScaleOptimizer(tf.train.sgd(0.1), {dynamic: false, initialScale: 128});
    lso.minimize(lossOf(a, b), false, [a, b]);
    const snapshot = snapshotAllVariables();
    lso.minimize(lossOf(a, b, Infinity), false, [a, b]);
    expect(snapshotAllVariables()).toEqual(snapshot);
    expect([lso.lossScale, lso.goodSteps, lso.skippedSteps, lso.dynamic]).toEqual([128, 0, 1, false]);
    lso.dispose();
  });
});

describe('no tensor leaks', () => {
  test.each(OPTIMIZER_CASES)('%s: 40 steps, every third one skipped', (_name, make) => {
    const {a, b} = makeVariables();
    const lso = new LossScaleOptimizer(make(), {initialScale: 2 ** 8, dynamicGrowthSteps: 2});
    lso.minimize(lossOf(a, b), false, [a, b]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 40; i++) {
      lso.minimize(lossOf(a, b, i % 3 === 0 ? NaN : 1), false, [a, b]);
      const cost = lso.minimize(lossOf(a, b), true);
      cost!.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(lso.skippedSteps).toBe(14);
    for (const v of [a, b]) {
      expect(Array.from(v.dataSync()).every(Number.isFinite)).toBe(true);
    }
    lso.dispose();
  });
});

describe('identity and refusals', () => {
  test('brand check: instanceof recognises only loss-scale optimizers', () => {
    const sgd = tf.train.sgd(0.1);
    const lso = new LossScaleOptimizer(sgd);
    expect(lso instanceof LossScaleOptimizer).toBe(true);
    expect(lso instanceof tf.Optimizer).toBe(true);
    expect(sgd instanceof LossScaleOptimizer).toBe(false);
    expect(isLossScaleOptimizer(lso)).toBe(true);
    expect(isLossScaleOptimizer(sgd)).toBe(false);
    expect(isLossScaleOptimizer(null)).toBe(false);
    // A duck with the optimizer methods is a tf.Optimizer for tfjs, not ours.
    expect(isLossScaleOptimizer({minimize() {}, computeGradients() {}, applyGradients() {}})).toBe(false);
    expect(lso.getClassName()).toBe('LossScaleOptimizer');
    expect(lso.innerOptimizer).toBe(sgd);

    class MyLso extends LossScaleOptimizer {}
    const mine = new MyLso(tf.train.sgd(0.1));
    expect([mine instanceof MyLso, mine instanceof LossScaleOptimizer, lso instanceof MyLso]).toEqual([true, true, false]);
  });

  test('refuses to wrap a LossScaleOptimizer, naming the fix', () => {
    const lso = new LossScaleOptimizer(tf.train.adam(0.1));
    expect(() => new LossScaleOptimizer(lso)).toThrow(
      /cannot wrap another LossScaleOptimizer: loss scaling would apply twice\. Wrap its innerOptimizer \(a Adam\) instead/,
    );
  });

  const BAD_INNER: [string, unknown, RegExp][] = [
    ['a name', 'adam', /needs an optimizer instance, not the name 'adam': pass e\.g\. tf\.train\.adam\(learningRate\)/],
    ['null', null, /innerOptimizer must be a tf\.Optimizer .*received null/],
    ['undefined', undefined, /innerOptimizer must be a tf\.Optimizer such as tf\.train\.adam\(0\.001\); received undefined/],
    ['an object', {learningRate: 1}, /must be a tf\.Optimizer .*received \{"learningRate":1\}/],
  ];
  test.each(BAD_INNER)('refuses %s as inner optimizer', (_n, inner, message) => {
    expect(() => new LossScaleOptimizer(inner as tf.Optimizer)).toThrow(message);
  });

  test('bad options are refused by the constructor', () => {
    expect(() => new LossScaleOptimizer(tf.train.sgd(1), {dynamic: false})).toThrow(/initialScale is required/);
  });
});
