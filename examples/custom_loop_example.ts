/**
 * A custom training loop with loss scaling. Run:
 *   npx ts-node --transpile-only examples/custom_loop_example.ts
 *
 * `model.fit` and `optimizer.minimize` scale the loss for you. When you write
 * the step yourself (to clip gradients, accumulate them, or log them), do it
 * as Keras's custom-loop recipe does:
 *
 *   const {value, grads} = tf.variableGrads(() => lso.getScaledLoss(loss()));
 *   const unscaled = lso.getUnscaledGradients(grads);  // float32, true size
 *   ... clip / inspect `unscaled` here, never the scaled grads ...
 *   lso.applyGradients(unscaled);  // skips a non-finite step, updates the scale
 *
 * The model: an MLP on 1,024 real MNIST digits, every Dense under
 * mixed_float16, softmax in float32.
 */
import * as tf from '@tensorflow/tfjs';

// In your project: import * as mp from 'tfjs-mixed-precision';
import * as mp from '../src';
import {CLASSES, PIXELS, loadMnist} from './demo/mnist';


const STEPS = 24;
const BATCH = 128;
const CLIP_NORM = 1.0;

/** Rescales `grads` so their global L2 norm is at most `maxNorm` (new tensors). */
function clipByGlobalNorm(grads: tf.NamedTensorMap, maxNorm: number): tf.NamedTensorMap {
  return tf.tidy(() => {
    const norm = tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g)))));
    const factor = tf.div(maxNorm, tf.maximum(norm, maxNorm));
    const clipped: tf.NamedTensorMap = {};
    for (const [name, g] of Object.entries(grads)) {
      clipped[name] = tf.mul(g, factor);
    }
    return clipped;
  });
}

export async function main(): Promise<{firstLoss: number; lastLoss: number; skipped: number; lossScale: number}> {
  await tf.setBackend('cpu');
  const {train} = loadMnist({trainCount: 1024, testCount: 1});
  const xs = tf.tensor2d(train.images, [train.count, PIXELS]);
  const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(train.labels, 'int32'), CLASSES).toFloat());

  const model = tf.sequential({
    layers: [
      mp.layers.dense({inputShape: [PIXELS], units: 64, activation: 'relu', dtype: 'mixed_float16'}),
      mp.layers.dense({units: CLASSES, dtype: 'mixed_float16'}),
      mp.layers.activation({activation: 'softmax', dtype: 'float32'}),
    ],
  });
  const lso = new mp.LossScaleOptimizer(tf.train.adam(1e-3));

  let firstLoss = NaN;
  let lastLoss = NaN;
  for (let step = 0; step < STEPS; step++) {
    const start = (step * BATCH) % train.count;
    const x = xs.slice(start, BATCH);
    const y = ys.slice(start, BATCH);
    const loss = (): tf.Scalar => tf.mean(tf.metrics.categoricalCrossentropy(y, model.apply(x) as tf.Tensor));

    const scale = lso.lossScale; // the scale this step uses (applyGradients may change it)
    // 1. Differentiate the scaled loss: float16 gradients stay above 2^-24.
    const {value, grads} = tf.variableGrads(() => lso.getScaledLoss(loss()));
    // 2. Unscale (in float32) before anything looks at the gradients.
    const unscaled = lso.getUnscaledGradients(grads);
    // 3. Work with the true gradients, e.g. clip by global norm.
    const clipped = clipByGlobalNorm(unscaled, CLIP_NORM);
    // 4. Apply: a step with a NaN/Inf gradient is skipped and the scale backs off.
    lso.applyGradients(clipped);

    const scaledLoss = (await value.data())[0] as number;
    const trueLoss = scaledLoss / scale;
    tf.dispose([value, grads, unscaled, clipped, x, y]);
    if (step === 0) {
      firstLoss = trueLoss;
    }
    lastLoss = trueLoss;
    if (step % 6 === 0 || step === STEPS - 1) {
      console.log(
        `step ${String(step + 1).padStart(2)}  loss ${trueLoss.toFixed(4)}  ` +
          `loss scale ${lso.lossScale}  good steps ${lso.goodSteps}  skipped ${lso.skippedSteps}`,
      );
    }
  }
  const summary = {firstLoss, lastLoss, skipped: lso.skippedSteps, lossScale: lso.lossScale};
  model.dispose();
  lso.innerOptimizer.dispose();
  tf.dispose([xs, ys]);
  return summary;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
