import * as tf from '@tensorflow/tfjs';

import {stockKernel} from '../../src/conv_backprop/conv_backprop_registry';

/** float32 unit roundoff. */
export const U = 2 ** -24;

/** Deterministic values in [-1, 1) (an LCG: the same data on every backend). */
export function seeded(size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  let s = seed >>> 0;
  for (let i = 0; i < size; ++i) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** One kernel call's inputs as plain arrays, so it can be replayed on any backend. */
export interface KernelCall {
  inputs: Record<string, {values: Float32Array, shape: number[]}>;
  attrs: tf.NamedAttrMap;
}

/**
 * Runs `config` on the current backend over `call` and returns its output
 * values and shape; checks that neither the engine nor the backend keeps a
 * tensor or buffer more than before.
 */
export function runOnBackend(config: tf.KernelConfig, call: KernelCall): {values: Float32Array, shape: number[]} {
  const backend = tf.backend();
  const tensorsBefore = tf.memory().numTensors;
  const dataBefore = backend.numDataIds();
  const inputs: Record<string, tf.Tensor> = {};
  for (const [name, {values, shape}] of Object.entries(call.inputs)) inputs[name] = tf.tensor(values, shape);
  const out = config.kernelFunc({inputs, backend, attrs: call.attrs}) as tf.TensorInfo;
  const values = backend.readSync(out.dataId) as Float32Array;
  const shape = out.shape.slice();
  backend.disposeData(out.dataId);
  tf.dispose(Object.values(inputs));
  expect(tf.memory().numTensors).toBe(tensorsBefore);
  expect(backend.numDataIds()).toBe(dataBefore);
  return {values: Float32Array.from(values), shape};
}

/** The stock cpu kernel `kernelName` over `call` (current backend must be cpu). */
export function stockCpu(kernelName: string, call: KernelCall): {values: Float32Array, shape: number[]} {
  const config = stockKernel(kernelName, 'cpu');
  if (config == null) throw new Error(`no stock cpu kernel ${kernelName}`);
  return runOnBackend(config, call);
}

/** `call` with every input replaced by its absolute value. */
export function absCall(call: KernelCall): KernelCall {
  const inputs: KernelCall['inputs'] = {};
  for (const [name, {values, shape}] of Object.entries(call.inputs)) {
    inputs[name] = {values: values.map(Math.abs), shape};
  }
  return {inputs, attrs: call.attrs};
}

/**
 * Zero-inserted filter: a convolution with dilation d equals one with the
 * filter spread to `(f - 1) * d + 1` taps, zeros between. Lets the undilated
 * stock kernels serve as the reference for dilated calls.
 */
export function spreadFilter(values: Float32Array, shape: number[], dh: number, dw: number):
    {values: Float32Array, shape: number[]} {
  const [fh, fw, ci, co] = shape as [number, number, number, number];
  const sh = (fh - 1) * dh + 1;
  const sw = (fw - 1) * dw + 1;
  const out = new Float32Array(sh * sw * ci * co);
  const inner = ci * co;
  for (let i = 0; i < fh; ++i) {
    for (let j = 0; j < fw; ++j) {
      out.set(values.subarray((i * fw + j) * inner, (i * fw + j + 1) * inner), (i * dh * sw + j * dw) * inner);
    }
  }
  return {values: out, shape: [sh, sw, ci, co]};
}

/** Inverse selection of `spreadFilter`: the taps at multiples of the dilation. */
export function gatherTaps(values: Float32Array, spreadShape: number[], dh: number, dw: number, shape: number[]):
    Float32Array {
  const [, sw, ci, co] = spreadShape as [number, number, number, number];
  const [fh, fw] = shape as [number, number];
  const inner = ci * co;
  const out = new Float32Array(fh * fw * inner);
  for (let i = 0; i < fh; ++i) {
    for (let j = 0; j < fw; ++j) {
      const from = (i * dh * sw + j * dw) * inner;
      out.set(values.subarray(from, from + inner), (i * fw + j) * inner);
    }
  }
  return out;
}

/**
 * Asserts |actual - expected| <= (terms + 2) * u * absSum elementwise, the
 * float32 accumulation bound: a float32 sum of `terms` products is within
 * gamma_terms * sum|products| of the exact value (Higham, Accuracy and
 * Stability, 3.1), and the reference (float64 accumulation, one rounding)
 * within u * |value|. `absSum` is the same reduction over |inputs|, so the
 * bound is per element and scale-free. Also asserts that the bound is far
 * below the values, so the comparison can fail.
 */
export function expectWithinBound(actual: Float32Array, expected: Float32Array, absSum: Float32Array,
    terms: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  let maxBound = 0;
  let maxValue = 0;
  for (let i = 0; i < expected.length; ++i) {
    const bound = (terms + 2) * U * (absSum[i] as number);
    const excess = Math.abs((actual[i] as number) - (expected[i] as number)) - bound;
    worst = Math.max(worst, excess);
    maxBound = Math.max(maxBound, bound);
    maxValue = Math.max(maxValue, Math.abs(expected[i] as number));
  }
  expect(worst).toBeLessThanOrEqual(0);
  expect(maxBound).toBeLessThan(0.01 * maxValue);
}
