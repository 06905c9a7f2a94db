// Helpers shared by the layer tests.
import * as tf from '@tensorflow/tfjs';

import {roundToBfloat16, roundToFloat16} from '../../src/cast/round_scalar';
import {FloatDtype} from '../../src/dtypes';

/** Runs the tests of the calling file on the pure-JS cpu backend, the reference. */
export function useCpuBackend(): void {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
}

/** Fails every test of the calling block that ends with more tensors than it started with. */
export function expectNoTensorLeaks(): void {
  let start = 0;
  beforeEach(() => {
    start = tf.memory().numTensors;
  });
  afterEach(() => {
    expect(tf.memory().numTensors).toBe(start);
  });
}

/** The values of `values` that the dtype cannot hold exactly (NaN aside). */
export function inexactValues(values: ArrayLike<number>, dtype: FloatDtype): number[] {
  const round = dtype === 'float16' ? roundToFloat16 : dtype === 'bfloat16' ? roundToBfloat16 : (v: number) => v;
  const bad: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isNaN(v) && !Object.is(round(v), v)) {
      bad.push(v);
    }
  }
  return bad;
}

/** Deterministic data in [-1, 1). */
export function data(shape: number[], seed: number): tf.Tensor {
  return tf.randomUniform(shape, -1, 1, 'float32', seed);
}

/** Gives every weight of `layer` deterministic values in [-0.5, 0.5). */
export function setSeededWeights(layer: tf.layers.Layer, seed: number): void {
  const values = layer.weights.map((w, i) => tf.randomUniform(w.shape as number[], -0.5, 0.5, 'float32', seed + i));
  layer.setWeights(values);
  tf.dispose(values);
}

/** The bit patterns of a float32 tensor, for bit-exact comparisons. */
export function bits(t: tf.Tensor): number[] {
  return Array.from(new Uint32Array(new Float32Array(t.dataSync()).buffer));
}

/** Expects `loaded` (a reloaded `model`) to predict `model`'s outputs on `x` bit for bit. */
export function expectSamePredictions(model: tf.LayersModel, loaded: tf.LayersModel, x: tf.Tensor): void {
  const a = model.predict(x) as tf.Tensor;
  const b = loaded.predict(x) as tf.Tensor;
  expect(bits(b)).toEqual(bits(a));
  tf.dispose([a, b]);
}

/** Saves a model to memory and loads it back through tfjs's loader. */
export async function saveAndLoad(model: tf.LayersModel): Promise<tf.LayersModel> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON'}};
    }),
  );
  if (artifacts === undefined) {
    throw new Error('the save handler was not called');
  }
  return tf.loadLayersModel(tf.io.fromMemory(artifacts));
}
