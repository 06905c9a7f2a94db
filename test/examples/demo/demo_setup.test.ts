import * as tf from '@tensorflow/tfjs';

import {
  ADAM_EPSILON,
  SAMPLE_BATCH,
  demoExperiments,
  demoTensors,
  disposeDemoTensors,
  experimentSetup,
  trainingOrder,
} from '../../../examples/demo/demo_setup';
import {PIXELS, MnistSplit} from '../../../examples/demo/mnist_idx';
import {seededPermutation} from '../../../examples/demo/shuffle';

function fakeSplit(count: number): MnistSplit {
  const images = new Float32Array(count * PIXELS).map((_, i) => (i % 256) / 255);
  const labels = new Uint8Array(count).map((_, i) => i % 10);
  return {images, labels, count};
}

describe('demo setup shared by the console demo and the web page', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('trainingOrder is a prefix of the seeded permutation of all images', () => {
    const order = trainingOrder(60000, 300);
    expect(order).toHaveLength(300);
    expect(order).toEqual(seededPermutation(60000, 20171003).slice(0, 300));
  });

  it('demoExperiments gives A, and B with loss x 2^-k unless k is null', () => {
    expect(demoExperiments(null).map((e) => [e.title, e.multiplier])).toEqual([['A: MNIST as is', 1]]);
    expect(demoExperiments(14).map((e) => [e.title, e.multiplier])).toEqual([
      ['A: MNIST as is', 1],
      ['B: small gradients (loss x 2^-14)', 2 ** -14],
    ]);
  });

  it.each([
    ['convnet', [28, 28, 1]],
    ['mlp', [784]],
  ] as const)('demoTensors(%s) shapes the data, takes the sample batch, leaks nothing', (kind, shape) => {
    const before = tf.memory().numTensors;
    const tensors = demoTensors(kind, fakeSplit(SAMPLE_BATCH + 3), fakeSplit(7));
    expect(tensors.xTrain.shape).toEqual([SAMPLE_BATCH + 3, ...shape]);
    expect(tensors.yTrain.shape).toEqual([SAMPLE_BATCH + 3, 10]);
    expect(tensors.xTest.shape).toEqual([7, ...shape]);
    expect(Array.from(tensors.testLabels.dataSync())).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(tensors.xSample.shape[0]).toBe(SAMPLE_BATCH);
    expect(tensors.ySample.shape[0]).toBe(SAMPLE_BATCH);
    const setup = experimentSetup(tensors, demoExperiments(14)[1]!, {batchSize: 32, epochs: 2, learningRate: 0.01});
    expect(setup.lossMultiplier).toBe(2 ** -14);
    expect(setup.adamEpsilon).toBe(ADAM_EPSILON * 2 ** -14);
    expect([setup.batchSize, setup.epochs, setup.learningRate, setup.kind]).toEqual([32, 2, 0.01, kind]);
    disposeDemoTensors(tensors);
    expect(tf.memory().numTensors).toBe(before);
  });
});
