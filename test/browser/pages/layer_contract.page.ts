// The layer contract of test/layers/layer_contract.test.ts, in the page, on
// the page's backend, for a few of its cases: what a policy layer stores,
// what it outputs and what gradients it passes back. The page reports counts
// and bit comparisons; the Node side asserts them. Reads use `await data()`
// (on webgpu a `dataSync()` can break later reads).
import * as tf from '@tensorflow/tfjs';

import {dtypeOf} from '../../../src/logical_dtype';
import {LAYER_CASES, LayerCase, POLICY_CASES, PolicyCase} from '../../layers/layer_cases';
import {data, inexactValues, setSeededWeights} from '../../layers/layer_test_utils';
import {definePageTest} from '../harness/page_api';

export interface LayerContractArgs {
  /** A LAYER_CASES class name; its unlabelled (plain) case is used. */
  className: string;
  policy: string;
}

export interface LayerContractResult {
  policyName: string;
  computeDtype: string | null;
  variableDtype: string | null;
  /** dtype of every weight tensor as read (all float32: float16 is emulated in float32 storage). */
  weightDtypes: string[];
  /** Weight values not exactly representable in the variable dtype (must be 0). */
  weightsInexactInStored: number;
  /** Weight values not exactly representable in the compute dtype (> 0 under a mixed policy: float32 masters). */
  weightsInexactInCompute: number;
  outputShape: number[];
  /** The logical dtype the output carries. */
  outputDtype: string | null;
  /** Output values not exactly representable in the compute dtype (must be 0). */
  outputInexact: number;
  /** The same layer under float32, same weights: values inexact in the compute dtype (> 0: the test is not vacuous). */
  float32OutputInexact: number;
  /** Per trainable variable, then the input: [non-zero entries, entries inexact in the compute dtype]. */
  gradients: Array<[number, number]>;
  /** float32 policy only: output bits equal to the stock tfjs layer's with the same weights. */
  sameBitsAsStock: boolean | null;
}

/** The plain case of `className` from the Node contract's table. */
export function layerCase(className: string): LayerCase {
  const found = LAYER_CASES.find((c) => c.className === className && c.label === undefined);
  if (found === undefined) {
    throw new Error(`className must name a case of layer_cases.ts; received '${className}'.`);
  }
  return found;
}

function policyCase(policy: string): PolicyCase {
  const found = POLICY_CASES.find((p) => p.policy === policy && p.inputDtype === undefined);
  if (found === undefined) {
    throw new Error(`policy must be one of ${POLICY_CASES.filter((p) => p.inputDtype === undefined).map((p) => p.policy).join(', ')}; received '${policy}'.`);
  }
  return found;
}

async function values(t: tf.Tensor): Promise<Float32Array> {
  return (await t.data()) as Float32Array;
}

async function sameBits(a: tf.Tensor, b: tf.Tensor): Promise<boolean> {
  const x = new Uint32Array((await values(a)).slice().buffer);
  const y = new Uint32Array((await values(b)).slice().buffer);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

definePageTest('layerContract', async ({className, policy}: LayerContractArgs): Promise<LayerContractResult> => {
  const c = layerCase(className);
  const p = policyCase(policy);
  const x = data(c.inputShape, 7);
  const layer = c.make({...c.args, dtype: p.policy});
  tf.dispose(layer.apply(x) as tf.Tensor);
  setSeededWeights(layer, 11);
  const disposables: tf.Tensor[] = [x];
  try {
    let weightsInexactInStored = 0;
    let weightsInexactInCompute = 0;
    const weightDtypes: string[] = [];
    for (const w of layer.weights) {
      const v = w.read();
      weightDtypes.push(v.dtype);
      const vs = await values(v);
      weightsInexactInStored += inexactValues(vs, p.stored).length;
      weightsInexactInCompute += inexactValues(vs, p.compute).length;
    }

    const y = layer.apply(x) as tf.Tensor;
    disposables.push(y);
    const reference = c.make({...c.args, dtype: 'float32'});
    tf.dispose(reference.apply(x) as tf.Tensor);
    reference.setWeights(layer.getWeights());
    const y32 = reference.apply(x) as tf.Tensor;
    disposables.push(y32);
    reference.dispose();

    const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const loss = (input: tf.Tensor) => (): tf.Scalar =>
      tf.sum(tf.square(tf.sub(layer.apply(input) as tf.Tensor, 0.25))) as tf.Scalar;
    const gradients: Array<[number, number]> = [];
    if (vars.length > 0) {
      const {value, grads} = tf.variableGrads(loss(x), vars);
      disposables.push(value, ...Object.values(grads));
      for (const v of vars) {
        const g = await values(grads[v.name] as tf.Tensor);
        gradients.push([g.filter((e) => e !== 0).length, inexactValues(g, p.compute).length]);
      }
    }
    const dx = tf.grad((xx: tf.Tensor) => loss(xx)())(x);
    disposables.push(dx);
    const dxValues = await values(dx);
    gradients.push([dxValues.filter((e) => e !== 0).length, inexactValues(dxValues, p.compute).length]);

    let sameBitsAsStock: boolean | null = null;
    if (p.policy === 'float32') {
      const stock = c.stock({...c.args});
      tf.dispose(stock.apply(x) as tf.Tensor);
      stock.setWeights(layer.getWeights());
      const ys = stock.apply(x) as tf.Tensor;
      disposables.push(ys);
      sameBitsAsStock = await sameBits(y, ys);
      stock.dispose();
    }

    return {
      policyName: layer.policy.name,
      computeDtype: layer.computeDtype,
      variableDtype: c.hasWeights ? layer.variableDtype : null,
      weightDtypes,
      weightsInexactInStored,
      weightsInexactInCompute,
      outputShape: y.shape,
      outputDtype: dtypeOf(y),
      outputInexact: inexactValues(await values(y), p.compute).length,
      float32OutputInexact: inexactValues(await values(y32), p.compute).length,
      gradients,
      sameBitsAsStock,
    };
  } finally {
    tf.dispose(disposables);
    layer.dispose();
  }
});
