import * as tf from '@tensorflow/tfjs';

/**
 * A user's own optimizer: plain SGD with a velocity slot and its own step
 * counter, to show the wrapper makes no assumption about the inner class.
 */
export class HeavyBallOptimizer extends tf.Optimizer {
  static readonly className = 'HeavyBallTestOptimizer';
  private velocities: tf.Variable[] = [];

  constructor(readonly learningRate: number) {
    super();
  }

  override applyGradients(grads: tf.NamedTensorMap | {name: string; tensor: tf.Tensor}[]): void {
    const list = Array.isArray(grads) ? grads : Object.keys(grads).map((name) => ({name, tensor: grads[name]!}));
    list.forEach(({name, tensor}, i) => {
      const value = tf.engine().registeredVariables[name]!;
      this.velocities[i] ??= tf.tidy(() => tf.zerosLike(value).variable(false));
      const v = this.velocities[i]!;
      tf.tidy(() => {
        v.assign(tf.add(tf.mul(v, 0.5), tensor));
        value.assign(tf.sub(value, tf.mul(v, this.learningRate)));
      });
    });
    this.incrementIterations();
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {learningRate: this.learningRate};
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls(config['learningRate']);
  }

  override dispose(): void {
    tf.dispose(this.velocities);
  }
}
tf.serialization.registerClass(HeavyBallOptimizer);

/** Every optimizer type the wrapper must support, built fresh per test. */
export const OPTIMIZER_CASES: [string, () => tf.Optimizer][] = [
  ['sgd', () => tf.train.sgd(0.1)],
  ['momentum', () => tf.train.momentum(0.1, 0.9)],
  ['momentum (nesterov)', () => tf.train.momentum(0.1, 0.9, true)],
  ['adam', () => tf.train.adam(0.01)],
  ['rmsprop (centered, momentum)', () => tf.train.rmsprop(0.01, 0.9, 0.5, 1e-7, true)],
  ['adagrad', () => tf.train.adagrad(0.1)],
  ['adadelta', () => tf.train.adadelta(1)],
  ['adamax', () => tf.train.adamax(0.01)],
  ['user subclass', () => new HeavyBallOptimizer(0.1)],
];

/** The bits of every variable tfjs knows about (model, optimizer slots, accumulators). */
export function snapshotAllVariables(): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [name, v] of Object.entries(tf.engine().registeredVariables)) {
    const data = v.dataSync();
    out[name] = Array.from(
      data instanceof Float32Array ? new Uint32Array(data.buffer.slice(0)) : (data as Int32Array),
    );
  }
  return out;
}

/** Disposes every registered variable, so tests start from a clean engine. */
export function disposeAllVariables(): void {
  tf.disposeVariables();
}
