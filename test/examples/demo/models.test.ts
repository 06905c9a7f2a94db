import * as tf from '@tensorflow/tfjs';

import {buildModel} from '../../../examples/demo/models';
import {underflowShare} from '../../../examples/demo/train_run';
import {sameWeights} from '../../../examples/demo/experiment';

describe('buildModel', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each([
    ['convnet', [28, 28, 1], ['Conv2D', 'MaxPooling2D', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dense', 'Activation'], [0, 1, 2, 3, 5]],
    ['mlp', [784], ['Dense', 'Dense', 'Dense', 'Activation'], [0, 1, 2]],
  ] as const)('%s: layers, measured points, float32 variables and a float32 softmax under mixed_float16', (kind, shape, classes, measured) => {
    const before = tf.memory().numTensors;
    const built = buildModel(kind, 'mixed_float16');
    expect(built.inputShape).toEqual(shape);
    expect(built.model.layers.map((l) => l.getClassName())).toEqual(classes);
    expect(built.measured).toEqual(measured);
    for (const w of built.model.weights) {
      expect(w.dtype).toBe('float32');
    }
    const policies = built.model.layers.map((l) => (l as {policy?: {name: string}}).policy?.name ?? null);
    expect(policies[policies.length - 1]).toBe('float32');
    expect(policies[0]).toBe('mixed_float16');
    built.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('starts from the same (seeded) weights every time', () => {
    const a = buildModel('convnet', 'float32').model;
    const b = buildModel('convnet', 'mixed_float16').model;
    const wa = a.getWeights().map((w) => Array.from(w.dataSync()));
    const wb = b.getWeights().map((w) => Array.from(w.dataSync()));
    expect(wb).toEqual(wa);
    expect(new Set(wa[0]).size).toBeGreaterThan(60); // random, not constant
    a.dispose();
    b.dispose();
  });

  it('refuses an unknown kind', () => {
    expect(() => buildModel('resnet' as never, 'float32')).toThrow("kind must be 'convnet' or 'mlp'; received 'resnet'.");
  });
});

describe('underflowShare and sameWeights', () => {
  it('counts entries non-zero in the reference and zero in the narrow run', () => {
    const reference = [new Float32Array([0, 1e-9, 2, 3]), new Float32Array([1e-9])];
    const narrow = [new Float32Array([0, 0, 2, 0]), new Float32Array([1e-9])];
    expect(underflowShare(reference, narrow)).toBeCloseTo(2 / 4, 12);
    expect(underflowShare([new Float32Array([0])], [new Float32Array([0])])).toBe(0);
  });

  it('compares weights bit for bit (-0 differs from 0; NaN equals the same NaN)', () => {
    const a = [new Float32Array([1, NaN, 0])];
    expect(sameWeights(a, [new Float32Array([1, NaN, 0])])).toBe(true);
    expect(sameWeights(a, [new Float32Array([1, NaN, -0])])).toBe(false);
    expect(sameWeights(a, [new Float32Array([1, NaN])])).toBe(false);
    expect(sameWeights(a, [])).toBe(false);
  });
});
