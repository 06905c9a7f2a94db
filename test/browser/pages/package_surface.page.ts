// Page tests of the package as a page sees it: in the 'dist' page the
// imports of src/ resolve to the prebuilt script-tag bundle's global `mp`.
import * as tf from '@tensorflow/tfjs';

import * as mp from '../../../src';
import {definePageTest} from '../harness/page_api';

export interface PackageSurfaceResult {
  /** True when the page has a global `mp` (the script-tag bundle). */
  globalMp: boolean;
  /** True when that global is the module the page tests import. */
  importsAreGlobal: boolean;
  castFloat16: number[];
  dtype: string;
  denseOutput: number[];
  fileSystemError: string;
}

definePageTest('packageSurface', async (): Promise<PackageSurfaceResult> => {
  const global = (globalThis as {mp?: unknown}).mp;
  const x = tf.tensor([65519.99, 65520, 1e-8, 1 + 2 ** -11]);
  const h = mp.cast(x, 'float16');
  const castFloat16 = Array.from(await h.data());
  const dtype = mp.dtypeOf(h);
  const dense = mp.layers.dense({units: 2, dtype: 'mixed_float16', kernelInitializer: 'ones', biasInitializer: 'zeros'});
  const input = tf.tensor2d([[1, 2 ** -11]]);
  const output = dense.apply(input) as tf.Tensor;
  const denseOutput = Array.from(await output.data());
  tf.dispose([x, h, input, output, ...dense.getWeights()]);
  let fileSystemError = '';
  try {
    mp.io.fileSystem('/tmp/model');
  } catch (error) {
    fileSystemError = (error as Error).message;
  }
  return {
    globalMp: global !== undefined,
    importsAreGlobal: (global as {cast?: unknown} | undefined)?.cast === mp.cast,
    castFloat16,
    dtype,
    denseOutput,
    fileSystemError,
  };
});
