// applyGradients takes what tf.Optimizer.applyGradients takes, and refuses the
// rest before anything changes.
import * as tf from '@tensorflow/tfjs';
import {LossScaleOptimizer} from '../../src/loss_scale/loss_scale_optimizer';
import {disposeAllVariables, snapshotAllVariables} from './optimizer_cases';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => disposeAllVariables());

function setup() {
  const a = tf.variable(tf.tensor1d([1, 2, 3]), true, 'a');
  const b = tf.variable(tf.tensor1d([4, 5]), true, 'b');
  const lso = new LossScaleOptimizer(tf.train.adam(0.1), {initialScale: 64, dynamicGrowthSteps: 1});
  lso.minimize(() => tf.add(tf.sum(a), tf.sum(b)) as tf.Scalar); // slots exist; scale 128
  return {a, b, lso};
}

const GA = () => tf.tensor1d([1, 1, 1]);
const GB = () => tf.tensor1d([1, 1]);

// What was passed, and the error it must raise.
const BAD: [string, () => unknown, RegExp][] = [
  [
    'a plain list of tensors',
    () => [GA(), GB()],
    /^LossScaleOptimizer\.applyGradients takes a \{variableName: gradient\} map or a \[\{name, tensor\}\] list, as tf\.Optimizer\.applyGradients takes; received a list of bare tensors \(entry 0 is a tensor of dtype 'float32' and shape \[3\]\), which does not say which variable each gradient belongs to\. Name them: grads\.map\(\(g, i\) => \(\{name: vars\[i\]\.name, tensor: g\}\)\)\.$/,
  ],
  ['a single tensor', () => GA(), /takes a \{variableName: gradient\} map .*; received a tensor of dtype 'float32' and shape \[3\]\.$/],
  ['null', () => null, /takes a \{variableName: gradient\} map .*; received null\.$/],
  ['a list entry without a name', () => [{tensor: GA()}], /takes a .*; entry 0 is /],
  ['a map value that is not a tensor', () => ({a: [1, 1, 1]}), /; the gradient for 'a' is \[1,1,1\]\.$/],
  ['a name of no variable', () => ({a: GA(), c: GB()}), /^LossScaleOptimizer\.applyGradients: no variable is named 'c'; gradients must be keyed by the name of the variable they update/],
  ['a gradient of the wrong shape', () => [{name: 'a', tensor: GB()}], /^LossScaleOptimizer\.applyGradients: the gradient for 'a' has shape \[2\], but the variable has shape \[3\]\.$/],
];

describe('applyGradients refuses, changing nothing', () => {
  test.each(BAD)('%s', (_name, make, message) => {
    const {lso} = setup();
    const before = snapshotAllVariables();
    const state = [lso.lossScale, lso.goodSteps, lso.skippedSteps, lso.iterations];
    const grads = make();
    const numTensors = tf.memory().numTensors;
    expect(() => lso.applyGradients(grads as never)).toThrow(message);
    expect(snapshotAllVariables()).toEqual(before);
    expect([lso.lossScale, lso.goodSteps, lso.skippedSteps, lso.iterations]).toEqual(state);
    expect(tf.memory().numTensors).toBe(numTensors);
    tf.dispose(grads as tf.TensorContainer);
    lso.dispose();
  });

  test('a plain list of non-finite tensors is refused too, not counted as a good step', () => {
    const {lso} = setup();
    const grads = [tf.tensor1d([NaN, 1, 1]), GB()];
    expect(() => lso.applyGradients(grads as never)).toThrow(/list of bare tensors/);
    expect([lso.goodSteps, lso.skippedSteps]).toEqual([0, 0]);
    tf.dispose(grads);
    lso.dispose();
  });
});

describe('applyGradients takes the forms tfjs optimizers take', () => {
  test.each([
    ['a name map', () => ({a: GA(), b: GB()})],
    ['a {name, tensor} list', () => [{name: 'a', tensor: GA()}, {name: 'b', tensor: GB()}]],
  ])('%s: both variables move, one good step', (_name, make) => {
    const {a, b, lso} = setup();
    const before = [Array.from(a.dataSync()), Array.from(b.dataSync())];
    const grads = make();
    lso.applyGradients(grads);
    expect(Array.from(a.dataSync())).not.toEqual(before[0]);
    expect(Array.from(b.dataSync())).not.toEqual(before[1]);
    expect([lso.lossScale, lso.skippedSteps, lso.iterations]).toEqual([256, 0, 2]);
    tf.dispose(grads as tf.TensorContainer);
    lso.dispose();
  });

  test('null gradients (variables without one) are allowed and leave their variable alone', () => {
    const {a, b, lso} = setup();
    const before = Array.from(b.dataSync());
    const ga = GA();
    lso.applyGradients({a: ga, b: null as unknown as tf.Tensor});
    expect(Array.from(b.dataSync())).toEqual(before);
    expect(Array.from(a.dataSync())).not.toEqual([1, 2, 3]);
    ga.dispose();
    lso.dispose();
  });
});
