// mp.layers.Layer: a user's layer follows the policy as Keras custom layers do.
import * as tf from '@tensorflow/tfjs';

import * as layers from '../../layers';
import {roundToFloat16} from '../../src/cast/round_scalar';
import {dtypeOf} from '../../src/logical_dtype';
import {bits, expectNoTensorLeaks, inexactValues, saveAndLoad, useCpuBackend} from './layer_test_utils';

useCpuBackend();
expectNoTensorLeaks();

type LayerVariable = tf.layers.Layer['weights'][number];

/** y = x * w + u: w autocast, u opted out (read as stored, float32). */
class ScaleShift extends layers.Layer {
  static override className = 'ScaleShift';
  w!: LayerVariable;
  u!: LayerVariable;
  override build(): void {
    this.w = this.addWeight('w', [1], undefined, tf.initializers.constant({value: 1.1}));
    this.u = this.addWeight('u', [1], undefined, tf.initializers.constant({value: 0.1}), undefined, true, undefined, undefined, false);
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    return tf.add(tf.mul(x, this.w.read()), this.u.read());
  }
}
tf.serialization.registerClass(ScaleShift);

const r16 = (v: number) => roundToFloat16(Math.fround(v));

describe('mp.layers.Layer', () => {
  it('mixed_float16: input cast, autocast variable read in float16, opted-out variable read as float32, every op rounded', () => {
    const layer = new ScaleShift({dtype: 'mixed_float16'});
    const xs = [0.3, -1.7, 2.05];
    const x = tf.tensor(xs, [3, 1]);
    const y = layer.apply(x) as tf.Tensor;
    const expected = xs.map((v) => r16(r16(r16(v) * r16(1.1)) + Math.fround(0.1)));
    expect(Array.from(y.dataSync())).toEqual(expected);
    expect(dtypeOf(y)).toBe('float16');
    // The opt-out is visible: reading u in float16 would give another sum.
    expect(expected).not.toEqual(xs.map((v) => r16(r16(r16(v) * r16(1.1)) + r16(0.1))));
    // float32 master weights.
    expect(layer.getWeights().map((w) => w.dataSync()[0])).toEqual([Math.fround(1.1), Math.fround(0.1)]);
    tf.dispose([x, y]);
    layer.dispose();
  });

  it('float32: the user call untouched', () => {
    const layer = new ScaleShift({dtype: 'float32'});
    const x = tf.tensor([0.3, -1.7], [2, 1]);
    const y = layer.apply(x) as tf.Tensor;
    const ref = tf.tidy(() => tf.add(tf.mul(x, Math.fround(1.1)), Math.fround(0.1)));
    expect(bits(y)).toEqual(bits(ref));
    expect(dtypeOf(y)).toBe('float32');
    tf.dispose([x, y, ref]);
    layer.dispose();
  });

  it('gradients are rounded for the autocast variable and reach both variables', () => {
    const layer = new ScaleShift({dtype: 'mixed_float16'});
    const x = tf.tensor([0.3, -1.7, 2.05], [3, 1]);
    tf.dispose(layer.apply(x) as tf.Tensor);
    const vars = layer.trainableWeights.map((w) => (w as unknown as {val: tf.Variable}).val);
    const {value, grads} = tf.variableGrads(() => tf.sum(tf.square(layer.apply(x) as tf.Tensor)) as tf.Scalar, vars);
    const [gw, gu] = vars.map((v) => grads[v.name]!.dataSync());
    expect(gw![0]).not.toBe(0);
    expect(gu![0]).not.toBe(0);
    expect(inexactValues(gw!, 'float16')).toEqual([]);
    tf.dispose([x, value, ...Object.values(grads)]);
    layer.dispose();
  });

  it('saves and loads with its policy, predicting bit for bit the same', async () => {
    const input = tf.input({shape: [1]});
    const out = new ScaleShift({dtype: 'mixed_bfloat16', name: 'ss'}).apply(input) as tf.SymbolicTensor;
    const model = tf.model({inputs: input, outputs: out});
    const loaded = await saveAndLoad(model);
    const back = loaded.getLayer('ss') as ScaleShift;
    expect(back).toBeInstanceOf(ScaleShift);
    expect(back.policy.name).toBe('mixed_bfloat16');
    expect(back.getConfig()).toEqual(model.getLayer('ss').getConfig());
    const x = tf.tensor([[0.3], [-1.7]]);
    const [a, b] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
    expect(bits(b)).toEqual(bits(a));
    tf.dispose([x, a, b]);
    model.dispose();
    loaded.dispose();
  });
});
