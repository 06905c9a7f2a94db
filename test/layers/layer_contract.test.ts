// One contract, run for every policy layer x every policy (see layer_cases).
import * as tf from '@tensorflow/tfjs';

import * as layers from '../../layers';
import {cast} from '../../src/cast/cast';
import {dtypeOf} from '../../src/logical_dtype';
import {Policy} from '../../src/policy/policy';
import {policyConfigValue, resolveInferredPolicy} from '../../layers/layer_dtype_arg';
import {input} from '../../layers/input';
import {INT_INPUT_CASES, IntInputCase, LAYER_CASES, LayerCase, POLICY_CASES, PolicyCase, PolicyLayer, intInput} from './layer_cases';
import {
  bits, data, expectNoTensorLeaks, expectSamePredictions, inexactValues, saveAndLoad, setSeededWeights, useCpuBackend,
} from './layer_test_utils';

useCpuBackend();

/** A built layer with seeded weights and the input it is fed. */
function setUp(c: LayerCase, p: PolicyCase): {layer: PolicyLayer; x: tf.Tensor} {
  const x0 = data(c.inputShape, 7);
  const x = p.inputDtype === undefined ? x0 : cast(x0, p.inputDtype);
  if (x !== x0) {
    x0.dispose();
  }
  const layer = c.make({...c.args, dtype: p.policy});
  tf.dispose(layer.apply(x) as tf.Tensor);
  setSeededWeights(layer, 11);
  return {layer, x};
}

/** A functional model around the layer (after a Dense when it has no weights). */
function modelOf(c: LayerCase, p: PolicyCase): {model: tf.LayersModel; layer: PolicyLayer} {
  const inp = input({shape: c.inputShape.slice(1), dtype: p.inputDtype});
  const layer = c.make({...c.args, dtype: p.policy});
  const before = c.hasWeights ? inp : (layers.dense({units: 5, dtype: p.policy}).apply(inp) as tf.SymbolicTensor);
  const model = tf.model({inputs: inp, outputs: layer.apply(before) as tf.SymbolicTensor});
  for (const [i, l] of model.layers.entries()) {
    setSeededWeights(l, 20 + 10 * i);
  }
  return {model, layer};
}

describe.each(LAYER_CASES.map((c) => [c.label ?? c.className, c] as const))('%s', (_name, c) => {
  expectNoTensorLeaks();

  describe.each(POLICY_CASES.map((p) => [p.policy, p] as const))('under %s', (_policy, p) => {
    it('resolves its policy, computes in the compute dtype, stores variables in the variable dtype', () => {
      const {layer, x} = setUp(c, p);
      expect(layer.policy.name).toBe(p.policy);
      expect(layer.computeDtype).toBe(p.compute);
      expect(layer.getClassName()).toBe(c.className);
      expect(layer.weights.length > 0).toBe(c.hasWeights);
      if (c.hasWeights) {
        expect(layer.variableDtype).toBe(p.stored);
      }
      for (const w of layer.weights) {
        const v = w.read();
        expect(v.dtype).toBe('float32');
        expect(inexactValues(v.dataSync(), p.stored)).toEqual([]);
        if (p.stored === 'float32' && p.compute !== 'float32') {
          // Master weights keep float32 precision under mixed policies.
          expect(inexactValues(v.dataSync(), p.compute).length).toBeGreaterThan(0);
        }
      }
      x.dispose();
      layer.dispose();
    });

    it('gives outputs exactly representable in the compute dtype, tagged with it', () => {
      const {layer, x} = setUp(c, p);
      const y = layer.apply(x) as tf.Tensor;
      expect(y.dtype).toBe('float32');
      // The same shape under every policy: the layer's own shape rule.
      expect(y.shape).toEqual(layer.computeOutputShape(x.shape));
      if (c.stockGap !== undefined) {
        // Where stock tfjs is wrong, every policy follows the reference.
        const ref = c.stockGap.reference(x, layer.getWeights());
        expect(y.shape).toEqual(ref.shape);
        ref.dispose();
      }
      const twin = c.make({...c.args, dtype: p.policy});
      const symbolic = twin.apply(input({shape: c.inputShape.slice(1), dtype: p.inputDtype})) as tf.SymbolicTensor;
      expect(symbolic.shape).toEqual([null, ...y.shape.slice(1)]);
      twin.dispose();
      expect(inexactValues(y.dataSync(), p.compute)).toEqual([]);
      expect(dtypeOf(y)).toBe(p.compute);
      if (p.compute !== 'float32') {
        // Not vacuous: the float32 computation would not be exact.
        const ref = withFloat32(c, layer, x);
        expect(inexactValues(ref.dataSync(), p.compute).length).toBeGreaterThan(0);
        ref.dispose();
      }
      tf.dispose([x, y]);
      layer.dispose();
    });

    it('passes non-zero gradients, rounded to the compute dtype, to its variables and input', () => {
      const {layer, x} = setUp(c, p);
      const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
      const loss = () => tf.sum(tf.square(tf.sub(layer.apply(x) as tf.Tensor, 0.25))) as tf.Scalar;
      const {value, grads} = vars.length > 0 ? tf.variableGrads(loss, vars) : {value: tf.scalar(0), grads: {}};
      for (const v of vars) {
        const g = grads[v.name];
        expect(g).toBeDefined();
        const values = (g as tf.Tensor).dataSync();
        expect(values.some((e) => e !== 0)).toBe(true);
        expect(inexactValues(values, p.compute)).toEqual([]);
      }
      const dx = tf.grad((xx: tf.Tensor) => tf.sum(tf.square(tf.sub(layer.apply(xx) as tf.Tensor, 0.25))))(x);
      expect(dx.dataSync().some((e) => e !== 0)).toBe(true);
      expect(inexactValues(dx.dataSync(), p.compute)).toEqual([]);
      tf.dispose([x, dx, value, ...Object.values(grads)]);
      layer.dispose();
    });

    it('round-trips its whole config, with the policy in the Keras 2 shape', () => {
      const {layer, x} = setUp(c, p);
      const config = layer.getConfig();
      // The case's own arguments are written as given (a dropped field would
      // reload as its default, e.g. tfjs's Conv1D dropping dataFormat).
      for (const key of ['units', 'filters', 'depthMultiplier', 'padding', 'dataFormat', 'activation', 'useBias']) {
        if (key in c.args) {
          expect([key, config[key]]).toEqual([key, c.args[key]]);
        }
      }
      const resolved = resolveInferredPolicy(new Policy(p.policy), p.inputDtype ?? 'float32');
      expect(config['dtype']).toEqual(policyConfigValue(resolved));
      const cls = layer.constructor as unknown as tf.serialization.SerializableConstructor<PolicyLayer>;
      const copy = cls.fromConfig(cls, JSON.parse(JSON.stringify(config)) as tf.serialization.ConfigDict);
      expect(copy.getConfig()).toEqual(config);
      expect(copy.policy.name).toBe(resolved.name);
      x.dispose();
      layer.dispose();
    });

    it('trains with fit without leaking tensors across epochs, updating float32 variables', async () => {
      const {model, layer} = modelOf(c, p);
      const x = data(c.inputShape, 3);
      // Targets far from the outputs and a large step: updates must survive
      // rounding to bfloat16 storage (half an ulp of 0.4 is 1e-3).
      const y = tf.tidy(() => tf.mul(tf.onesLike(model.predict(x) as tf.Tensor), 3));
      const optimizer = tf.train.sgd(0.5);
      model.compile({optimizer, loss: 'meanSquaredError'});
      const before = model.getWeights().map((w) => w.dataSync().slice());
      const counts: number[] = [];
      await model.fit(x, y, {
        epochs: 3,
        batchSize: 1,
        verbose: 0,
        callbacks: {onEpochEnd: async () => void counts.push(tf.memory().numTensors)},
      });
      expect(counts[1]).toBe(counts[0]);
      expect(counts[2]).toBe(counts[0]);
      const after = model.getWeights();
      after.forEach((w, i) => {
        expect(w.dtype).toBe('float32');
        expect(Array.from(w.dataSync())).not.toEqual(Array.from(before[i] as Float32Array));
      });
      for (const w of layer.weights) {
        expect(inexactValues(w.read().dataSync(), p.stored)).toEqual([]);
      }
      tf.dispose([x, y]);
      model.dispose();
      optimizer.dispose();
    });

    it('saves and loads with its policy, predicting bit for bit the same', async () => {
      const {model, layer} = modelOf(c, p);
      const x = data(c.inputShape, 5);
      const loaded = await saveAndLoad(model);
      const loadedLayer = loaded.getLayer(layer.name) as PolicyLayer;
      expect(loadedLayer).toBeInstanceOf(layer.constructor);
      expect(loadedLayer.policy.name).toBe(resolveInferredPolicy(layer.policy, p.inputDtype ?? 'float32').name);
      expectSamePredictions(model, loaded, x);
      x.dispose();
      model.dispose();
      loaded.dispose();
    });
  });

  describe('compared with float32', () => {
    const gap = c.stockGap;
    if (gap === undefined) {
      it('float32 policy: bit-identical to the stock tfjs layer with the same weights', () => {
        const {layer, x} = setUp(c, POLICY_CASES[0] as PolicyCase);
        const stock = c.stock({...c.args});
        tf.dispose(stock.apply(x) as tf.Tensor);
        stock.setWeights(layer.getWeights());
        const a = layer.apply(x) as tf.Tensor;
        const b = stock.apply(x) as tf.Tensor;
        expect(bits(a)).toEqual(bits(b));
        tf.dispose([x, a, b]);
        layer.dispose();
        stock.dispose();
      });
    } else {
      it('stock tfjs is wrong for this configuration (why the float32 policy does not defer to it)', () => {
        const x = data(c.inputShape, 7);
        const stock = c.stock({...c.args});
        if (gap.stockGives instanceof RegExp) {
          expect(() => stock.apply(x)).toThrow(gap.stockGives);
        } else {
          const y = stock.apply(x) as tf.Tensor;
          expect(y.shape).toEqual(gap.stockGives);
          // Unbuilt: only its shape rule is asked.
          expect(y.shape).not.toEqual(c.make({...c.args}).computeOutputShape(x.shape));
          y.dispose();
        }
        x.dispose();
        stock.dispose();
      });

      it('float32 policy: bit-identical to the reference built from stock tfjs pieces', () => {
        const {layer, x} = setUp(c, POLICY_CASES[0] as PolicyCase);
        const weights = layer.getWeights();
        const a = layer.apply(x) as tf.Tensor;
        const b = gap.reference(x, weights);
        expect(a.shape).toEqual(b.shape);
        expect(bits(a)).toEqual(bits(b));
        tf.dispose([x, a, b]);
        layer.dispose();
      });
    }

    // Each float16 rounding errs by at most 2^-11 relative (4.9e-4): the
    // input and the weights (a product errs by <= 2 ulp), then the result, the
    // bias add and the activation. The matmul/conv sums 5..27 terms of mixed
    // sign here, so the error stays near 1e-3 of the output magnitude; this
    // is Keras's own layer-correctness bound, rtol = atol = 2e-3.
    it('mixed_float16 outputs are within rtol = atol = 2e-3 of float32 outputs', () => {
      const f32 = setUp(c, POLICY_CASES[0] as PolicyCase);
      const mixed = c.make({...c.args, dtype: 'mixed_float16'});
      tf.dispose(mixed.apply(f32.x) as tf.Tensor);
      mixed.setWeights(f32.layer.getWeights());
      const a = f32.layer.apply(f32.x) as tf.Tensor;
      const b = mixed.apply(f32.x) as tf.Tensor;
      const av = a.dataSync();
      const bv = b.dataSync();
      let worst = 0;
      for (let i = 0; i < av.length; i++) {
        const excess = Math.abs((bv[i] as number) - (av[i] as number)) - (2e-3 + 2e-3 * Math.abs(av[i] as number));
        worst = Math.max(worst, excess);
      }
      expect(worst).toBe(0);
      // And they do differ: the float16 path really ran.
      expect(bits(b)).not.toEqual(bits(a));
      tf.dispose([f32.x, a, b]);
      f32.layer.dispose();
      mixed.dispose();
    });

    // Keras's layer-correctness test compares after training. Both models
    // start from the same weights and take the same 3 full-batch SGD steps
    // (lr 0.05) on the same data. The mixed gradients are float16-rounded
    // (relative error ~1e-3), so after 3 steps the weights differ by about
    // 3 * 0.05 * |g| * 1e-3: bounded here by 1e-4 (measured: at most 2e-5
    // over these cases). The outputs then differ by the forward pass's
    // rounding as above plus that drift (measured: at most 7.3e-4 absolute,
    // on outputs up to 1.6), within rtol = atol = 2e-3.
    it('after 3 fit steps from identical weights: weights within 1e-4, outputs within rtol = atol = 2e-3 of float32', async () => {
      const trained: Array<{weights: tf.Tensor[]; before: tf.Tensor[]; y: tf.Tensor}> = [];
      for (const p of [POLICY_CASES[0], POLICY_CASES[3]] as PolicyCase[]) {
        const {model} = modelOf(c, p);
        const x = data(c.inputShape, 3);
        const target = tf.tidy(() => data((model.predict(x) as tf.Tensor).shape, 13));
        const optimizer = tf.train.sgd(0.05);
        model.compile({optimizer, loss: 'meanSquaredError'});
        const before = model.getWeights().map((w) => w.clone());
        await model.fit(x, target, {epochs: 3, batchSize: c.inputShape[0], shuffle: false, verbose: 0});
        trained.push({weights: model.getWeights().map((w) => w.clone()), before, y: model.predict(x) as tf.Tensor});
        tf.dispose([x, target]);
        model.dispose();
        optimizer.dispose();
      }
      const [f32, mixed] = trained as [(typeof trained)[0], (typeof trained)[0]];
      f32.before.forEach((w, i) => {
        // Identical start, and training moved both.
        expect(bits(mixed.before[i] as tf.Tensor)).toEqual(bits(w));
        expect(bits(f32.weights[i] as tf.Tensor)).not.toEqual(bits(w));
        expect(bits(mixed.weights[i] as tf.Tensor)).not.toEqual(bits(w));
        expect(excessOver(f32.weights[i] as tf.Tensor, mixed.weights[i] as tf.Tensor, 0)).toBeLessThanOrEqual(1e-4);
      });
      expect(excessOver(f32.y, mixed.y, 2e-3)).toBe(0);
      expect(bits(mixed.y)).not.toEqual(bits(f32.y));
      tf.dispose(trained.flatMap((t) => [...t.weights, ...t.before, t.y]));
    });
  });
});

describe('integer inputs are untouched', () => {
  expectNoTensorLeaks();

  it('every wrapper class of the contract has an integer-input case', () => {
    const covered = new Set(INT_INPUT_CASES.map((c) => c.className));
    expect(LAYER_CASES.map((c) => c.className).filter((name) => !covered.has(name))).toEqual([]);
  });

  /** The layer applied to `x` with the case's weights (built first). */
  function run(layer: tf.layers.Layer, c: IntInputCase, x: tf.Tensor): tf.Tensor {
    const weights = (c.accepted?.weights ?? []).map((w) => tf.tensor(w.values, w.shape));
    try {
      tf.dispose(layer.apply(x) as tf.Tensor);
      layer.setWeights(weights);
      return layer.apply(x) as tf.Tensor;
    } finally {
      tf.dispose(weights);
    }
  }

  describe.each(INT_INPUT_CASES.map((c) => [c.className, c] as const))('%s', (_name, c) => {
    it(c.accepted ? 'stock tfjs accepts an int32 input' : 'stock tfjs refuses an int32 input', () => {
      const x = intInput(c);
      const stock = c.stock({...c.args});
      if (c.accepted) {
        const y = run(stock, c, x);
        expect(Array.from(y.dataSync())).toEqual(c.accepted.expected);
        y.dispose();
        stock.dispose();
      } else {
        expect(() => stock.apply(x)).toThrow(c.refused);
        // It built (made its weights) before the op refused.
        stock.dispose();
      }
      x.dispose();
    });

    it.each(POLICY_CASES.map((p) => [p.policy] as const))('under %s, as stock tfjs does, with the values uncast', (policy) => {
      const x = intInput(c);
      const layer = c.make({...c.args, dtype: policy});
      if (!c.accepted) {
        expect(() => layer.apply(x)).toThrow(c.refused);
        layer.dispose();
        x.dispose();
        return;
      }
      const y = run(layer, c, x);
      const stock = c.stock({...c.args});
      const stockY = run(stock, c, x);
      expect(y.dtype).toBe(stockY.dtype);
      expect(Array.from(y.dataSync())).toEqual(c.accepted.expected);
      // Not vacuous: the same values as a float32 tensor are cast to a narrow
      // compute dtype (2049 -> 2048), and the output shows it.
      const compute = layer.computeDtype;
      if (compute !== 'float32' && compute !== null) {
        const xf = intInput(c, 'float32');
        const yf = layer.apply(xf) as tf.Tensor;
        expect(Array.from(yf.dataSync())).not.toEqual(c.accepted.expected);
        tf.dispose([xf, yf]);
      }
      tf.dispose([x, y, stockY]);
      layer.dispose();
      stock.dispose();
    });
  });
});

/** How far `b` strays outside rtol = atol = `tol` of `a` (0: within). */
function excessOver(a: tf.Tensor, b: tf.Tensor, tol: number): number {
  const av = a.dataSync();
  const bv = b.dataSync();
  let worst = 0;
  for (let i = 0; i < av.length; i++) {
    worst = Math.max(worst, Math.abs((bv[i] as number) - (av[i] as number)) - (tol + tol * Math.abs(av[i] as number)));
  }
  return worst;
}

/** The layer's output computed in float32 with the same weights. */
function withFloat32(c: LayerCase, layer: PolicyLayer, x: tf.Tensor): tf.Tensor {
  const ref = c.make({...c.args, dtype: 'float32'});
  tf.dispose(ref.apply(x) as tf.Tensor);
  ref.setWeights(layer.getWeights());
  const y = ref.apply(x) as tf.Tensor;
  ref.dispose();
  return y;
}
