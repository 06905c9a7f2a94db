// The policy layers on the wasm backend: convnets need the composed conv
// backprop kernels of src/conv_backprop (tfjs's wasm backend lacks them).
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs';

import * as layers from '../../layers';
import '../../src/conv_backprop/register_conv_backprop_kernels';
import {dtypeOf} from '../../src/logical_dtype';
import {withPolicy} from '../../src/policy/global_policy';
import {data, inexactValues, setSeededWeights} from './layer_test_utils';

beforeAll(async () => {
  await tf.setBackend('wasm');
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

it.each(['mixed_float16', 'mixed_bfloat16'] as const)(
  'a convnet under %s trains with fit on wasm, float16 inside, float32 variables, no leaks',
  async (policy) => {
    const start = tf.memory().numTensors;
    const model = withPolicy(policy, () =>
      tf.sequential({
        layers: [
          layers.conv2d({filters: 3, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 2]}),
          layers.depthwiseConv2d({kernelSize: 3, padding: 'same'}),
          tf.layers.flatten(),
          layers.dense({units: 3}),
          layers.activation({activation: 'softmax', dtype: 'float32'}),
        ],
      }),
    );
    model.layers.forEach((l, i) => setSeededWeights(l, 7 * i));
    const optimizer = tf.train.adam(0.01);
    model.compile({optimizer, loss: 'categoricalCrossentropy'});
    const x = data([6, 8, 8, 2], 1);
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32'), 3));
    const history = await model.fit(x, y, {epochs: 3, batchSize: 3, verbose: 0});
    const losses = history.history['loss'] as number[];
    expect(losses.every(Number.isFinite)).toBe(true);
    expect((losses[2] as number) < (losses[0] as number)).toBe(true);
    const compute = policy === 'mixed_float16' ? 'float16' : 'bfloat16';
    const hidden = model.layers[0]!.apply(x) as tf.Tensor;
    expect(dtypeOf(hidden)).toBe(compute);
    expect(inexactValues(hidden.dataSync(), compute)).toEqual([]);
    model.getWeights().forEach((w) => expect(inexactValues(w.dataSync(), compute).length).toBeGreaterThan(0));
    tf.dispose([x, y, hidden]);
    model.dispose();
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(start);
  },
);
