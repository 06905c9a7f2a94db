import * as tf from '@tensorflow/tfjs';

import * as mpl from '../../../layers';
import {cast} from '../../../src/cast/cast';
import {activationGradients} from '../../../examples/demo/activation_gradients';

describe('activationGradients', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  function twoLayers(w1: number[]): tf.layers.Layer[] {
    const first = mpl.dense({inputShape: [2], units: 3, useBias: false, dtype: 'float32'});
    const second = mpl.dense({units: 1, useBias: false, dtype: 'float32'});
    const model = tf.sequential({layers: [first, second]});
    model.setWeights([tf.tensor2d([[1, 2, 3], [4, 5, 6]]), tf.tensor2d(w1, [3, 1])]);
    return model.layers;
  }

  it('returns dLoss/dOutput of each measured layer, leaving no tensors', async () => {
    const layers = twoLayers([0.5, -2, 1e-8]);
    const x = tf.tensor2d([[1, 0], [0, 1]]);
    const before = tf.memory().numTensors;
    const result = await activationGradients({
      layers,
      measured: [0, 1],
      x,
      loss: (out) => tf.mul(tf.sum(out), 3),
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.layerNames).toEqual([layers[0]?.name, layers[1]?.name]);
    // out1 = out0 . w1 ; loss = 3 sum(out1): dL/dout1 = 3, dL/dout0[b, j] = 3 w1[j].
    expect(Array.from(result.gradients[1] as Float32Array)).toEqual([3, 3]);
    expect(Array.from(result.gradients[0] as Float32Array)).toEqual(
      [1.5, -6, 3e-8, 1.5, -6, 3e-8].map(Math.fround),
    );
    // loss = 3 * sum over rows of x.W0.w1 = 3 * (row sums of W0 . w1)
    const out = [1 * 0.5 + 2 * -2 + 3 * 1e-8, 4 * 0.5 + 5 * -2 + 6 * 1e-8];
    expect(result.loss).toBeCloseTo(3 * (out[0]! + out[1]!), 5);
    x.dispose();
  });

  it('measures only the requested layers, and materializes them as asked', async () => {
    const layers = twoLayers([0.5, -2, 1e-8]);
    const x = tf.tensor2d([[1, 0]]);
    const result = await activationGradients({
      layers,
      measured: [0],
      x,
      loss: (out) => tf.sum(out),
      materialize: (g) => cast(g, 'float16'),
    });
    expect(result.gradients).toHaveLength(1);
    // 1e-8 < 2^-25: float16 holds 0; -2 and 0.5 are exact.
    expect(Array.from(result.gradients[0] as Float32Array)).toEqual([0.5, -2, 0]);
    x.dispose();
  });

  it('rejects a layer index out of range', async () => {
    const layers = twoLayers([1, 1, 1]);
    const x = tf.tensor2d([[1, 0]]);
    await expect(
      activationGradients({layers, measured: [2], x, loss: (out) => tf.sum(out)}),
    ).rejects.toThrow('measured must hold layer indices from 0 to 1; received 2.');
    x.dispose();
  });
});
