import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

import {filterGradChunking} from '../../src/conv_backprop/filter_grad_chunking';
import {absCall, expectWithinBound, gatherTaps, KernelCall, runOnBackend, stockCpu} from './reference';

/** One geometry: the forward call's shapes and attributes. */
export interface BackpropCase {
  name: string;
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number | [number, number];
  pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dilations?: [number, number];
}

/** The calls one case makes: each gradient, and its reference on the stock kernels. */
export interface BackpropCalls {
  /** The forward geometry; its sizes give the bounds' term counts. */
  info: tf.backend_util.Conv2DInfo;
  filterGrad: KernelCall;
  /** The stock kernels have no dilation: the references run on the spread filter. */
  filterGradRef: KernelCall;
  inputGrad: KernelCall;
  inputGradRef: KernelCall;
  spreadShape: number[];
  dh: number;
  dw: number;
}

/** A pair of composed backprop kernels and the stock kernels that are their reference. */
export interface BackpropKernels {
  filterGradName: string;
  inputGradName: string;
  filterGradConfig: (backendName: string, original: tf.KernelConfig | undefined) => tf.KernelConfig;
  inputGradConfig: (backendName: string, original: tf.KernelConfig | undefined) => tf.KernelConfig;
}

/**
 * The contract of a pair of composed backprop kernels, on cpu and wasm: each
 * case's dW and dx have the forward shapes and lie within the float32
 * accumulation bound of the stock cpu kernels' result; a case named
 * 'fallback...' (nothing is read) equals it exactly.
 *
 * 'sliced': the filter gradients process the batch one image at a time (the
 * slicing that keeps big batches in cache), so the slice-and-add path is
 * checked on the same small shapes.
 */
export function describeBackpropKernels<C extends BackpropCase>(
    title: string, kernels: BackpropKernels, cases: C[], calls: (c: C) => BackpropCalls): void {
  describe.each([
    ['cpu', 'whole batch'], ['wasm', 'whole batch'], ['cpu', 'sliced'], ['wasm', 'sliced'],
  ])(`composed ${title} backprop kernels on %s, %s`, (backendName, slicing) => {
    const saved = {...filterGradChunking};
    beforeAll(() => {
      if (slicing === 'sliced') Object.assign(filterGradChunking, {conv: 1, depthwise: 1});
    });
    afterAll(() => {
      Object.assign(filterGradChunking, saved);
    });

    test.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      const k = calls(c);
      await tf.setBackend('cpu');
      const refF = stockCpu(kernels.filterGradName, k.filterGradRef);
      const absF = stockCpu(kernels.filterGradName, absCall(k.filterGradRef));
      const refX = stockCpu(kernels.inputGradName, k.inputGradRef);
      const absX = stockCpu(kernels.inputGradName, absCall(k.inputGradRef));
      await tf.setBackend(backendName);
      const dW = runOnBackend(kernels.filterGradConfig(backendName, undefined), k.filterGrad);
      const dX = runOnBackend(kernels.inputGradConfig(backendName, undefined), k.inputGrad);

      expect(dW.shape).toEqual(c.filter);
      expect(dX.shape).toEqual(c.x);
      const taps = (v: Float32Array) => gatherTaps(v, k.spreadShape, k.dh, k.dw, c.filter);
      if (c.name.startsWith('fallback')) {
        // Nothing is read, so both gradients are exactly zero.
        expect(Array.from(dW.values)).toEqual(Array.from(taps(refF.values)));
        expect(Array.from(dX.values)).toEqual(Array.from(refX.values));
        return;
      }
      const {batchSize, outHeight, outWidth, filterHeight, filterWidth} = k.info;
      expectWithinBound(dW.values, taps(refF.values), taps(absF.values), batchSize * outHeight * outWidth);
      // filter[3]: the output channels that read one input channel (Conv2D's
      // out channels, the depthwise multiplier).
      expectWithinBound(dX.values, refX.values, absX.values, filterHeight * filterWidth * (c.filter[3] as number));
    });
  });
}
