/**
 * What the applyPolicy examples (resnet_batchnorm_example.ts,
 * lstm_text_example.ts) share: a float32 model turned into a mixed_float16
 * one by mp.applyPolicy, compiled (compile adds the loss scaling, as Keras
 * does), trained with model.fit, and reported.
 */
import * as tf from '@tensorflow/tfjs';

// In your project: import * as mp from 'tfjs-mixed-precision';
import * as mp from '../src';

/** What a run reports (also checked by the examples test). */
export interface MixedTrainingSummary {
  backend: string;
  optimizer: string;
  innerOptimizer: string;
  losses: number[];
  lossScales: number[];
  accuracy: number;
  policies: Record<string, string>;
}

/** Labelled examples. */
export interface Examples {
  xs: tf.Tensor;
  ys: tf.Tensor;
}

export interface MixedTrainingArgs {
  backend: string;
  /** The layer kept in float32 (the output activation: float32 is the recommended ending). */
  keepFloat32: string;
  learningRate: number;
  loss: string;
  epochs: number;
  train: Examples;
  test: Examples;
  /** The share of right answers, from predictions and labels. */
  accuracy: (predictions: tf.Tensor, labels: tf.Tensor) => tf.Scalar;
}

/**
 * Converts `stock` (disposed here) to mixed_float16, trains the copy on
 * `train` and measures it on `test`; disposes the data and the copy.
 */
export async function trainMixed(stock: tf.LayersModel, args: MixedTrainingArgs): Promise<MixedTrainingSummary> {
  // Every layer under mixed_float16 except one; same topology and weights.
  const model = mp.applyPolicy(stock, 'mixed_float16', {[args.keepFloat32]: 'float32'});
  stock.dispose();
  mp.layers.dtypeSummary(model);
  // Loss scaling comes from compile: the model has mixed_float16 layers.
  // (Opt out with autoScaleLoss: false.)
  model.compile({optimizer: tf.train.adam(args.learningRate), loss: args.loss, metrics: ['accuracy']});
  const lso = model.optimizer as mp.LossScaleOptimizer;
  console.log(`optimizer: ${lso.getClassName()} around ${lso.innerOptimizer.getClassName()}`);

  const losses: number[] = [];
  const lossScales: number[] = [];
  await model.fit(args.train.xs, args.train.ys, {
    epochs: args.epochs,
    batchSize: 32,
    shuffle: true,
    verbose: 0,
    callbacks: {
      onEpochEnd: async (epoch, logs) => {
        losses.push(logs?.['loss'] as number);
        lossScales.push(logs?.['lossScale'] as number);
        console.log(
          `epoch ${epoch + 1}: loss ${logs?.['loss']?.toFixed(4)}  accuracy ${logs?.['acc']?.toFixed(3)}  loss scale ${logs?.['lossScale']}`,
        );
      },
    },
  });
  const accuracy = tf.tidy(() => args.accuracy(model.predict(args.test.xs) as tf.Tensor, args.test.ys).dataSync()[0]!);
  console.log(`test accuracy ${accuracy.toFixed(3)}`);
  const policies = Object.fromEntries(
    model.layers.map((l) => [l.name, (l as Partial<mp.layers.PolicyAware>).policy?.name ?? '-']),
  );
  const summary: MixedTrainingSummary = {
    backend: args.backend,
    optimizer: lso.getClassName(),
    innerOptimizer: lso.innerOptimizer.getClassName(),
    losses,
    lossScales,
    accuracy,
    policies,
  };
  tf.dispose([args.train.xs, args.train.ys, args.test.xs, args.test.ys]);
  model.dispose();
  lso.dispose(); // compile was given an optimizer instance: the model does not own it
  return summary;
}
