import * as tf from '@tensorflow/tfjs';

import {excludeFromAutocast} from './kernel_rounding';
import {PolicyLayerArgs} from './layer_dtype_arg';
import {LayerVariable} from './layer_internals';
import {AUTOCAST} from './layer_numerics';
import {policyLayer} from './policy_layer';
import {LayerClass} from './stock_layer_class';

type AddWeightParams = Parameters<tf.layers.Layer['addWeight']>;

/** `tf.layers.Layer`'s constructor args, with `dtype` a policy. */
export type LayerArgs = PolicyLayerArgs<NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>>;

// tfjs's Layer class is abstract in its .d.ts only.
const PolicyBase = policyLayer(tf.layers.Layer as unknown as LayerClass, null, undefined, AUTOCAST);

/**
 * The base class of a user's own policy-aware layer, used like
 * `tf.layers.Layer` (Keras's `keras.layers.Layer` under a dtype policy):
 * under a float16/bfloat16 compute dtype, `call` receives its floating inputs
 * cast to it, every variable it reads is read in it, every tensor its ops
 * produce is rounded to it (gradients too), and its outputs are tagged with
 * it; under float32 `call` runs untouched. Weights are stored in the
 * policy's variable dtype. `getConfig` writes the policy as `dtype`, so a
 * registered subclass saves and loads with it.
 *
 * A weight created with `addWeight(..., autocast = false)` is read as stored
 * (float32 under mixed policies), as Keras's `autocast=False`.
 *
 * @example
 * class Scale extends mp.layers.Layer {
 *   static className = 'Scale';
 *   private w!: tf.LayerVariable;
 *   override build(): void { this.w = this.addWeight('w', [1], undefined, tf.initializers.ones()); }
 *   override call(x: tf.Tensor | tf.Tensor[]): tf.Tensor { return tf.mul(x as tf.Tensor, this.w.read()); }
 * }
 * tf.serialization.registerClass(Scale);
 * new Scale({dtype: 'mixed_float16'}).apply(tf.ones([2, 1])); // rounded to float16, tagged float16
 */
export class Layer extends PolicyBase {
  constructor(args: LayerArgs = {}) {
    super(args);
  }

  // Typed as tfjs's, so that `tf.serialization.registerClass(MySubclass)` compiles.
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return (PolicyBase.fromConfig as (c: unknown, conf: tf.serialization.ConfigDict) => T)(cls, config);
  }

  override addWeight(
    name: AddWeightParams[0],
    shape: AddWeightParams[1],
    dtype?: AddWeightParams[2],
    initializer?: AddWeightParams[3],
    regularizer?: AddWeightParams[4],
    trainable?: AddWeightParams[5],
    constraint?: AddWeightParams[6],
    getInitializerFunc?: AddWeightParams[7],
    autocast = true,
  ): LayerVariable {
    const v = super.addWeight(name, shape, dtype, initializer, regularizer, trainable, constraint, getInitializerFunc);
    if (!autocast) {
      excludeFromAutocast(v);
    }
    return v;
  }
}
