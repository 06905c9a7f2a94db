import * as tf from '@tensorflow/tfjs';

import {cast} from '../src/cast/cast';
import {Dtype, checkDtype, isFloatDtype} from '../src/dtypes';
import {tagFloatOutputs} from './logical_outputs';

type Inputs = Parameters<tf.layers.Layer['apply']>[0];
type Kwargs = Parameters<tf.layers.Layer['call']>[1];

/** Args of the cast layer: the tfjs layer args plus the target dtype. */
export interface CastArgs extends Omit<NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>, 'dtype'> {
  /** The dtype to cast to: 'float32', 'float16', 'bfloat16', 'int32' or 'bool'. */
  dtype: Dtype;
}

/**
 * Casts its input with `mp.cast`: the TF.js form of Keras's
 * `Lambda(lambda x: tf.cast(x, 'float32'))`, which tfjs cannot serialize.
 * A float target rounds floating inputs (float32 widens exactly) and passes
 * int32/bool inputs through; an int32/bool target uses `tf.cast`. It has no
 * policy: its `dtype` is the target, and it is saved as class `Cast`.
 *
 * @example
 * const outputs = mp.layers.cast({dtype: 'float32'}).apply(float16Logits);
 */
export class Cast extends tf.layers.Layer {
  static className = 'Cast';
  /** The dtype this layer casts to. */
  readonly targetDtype: Dtype;

  constructor(args: CastArgs) {
    const targetDtype = checkDtype('Cast: dtype', args?.dtype);
    super({...args, dtype: 'float32'});
    this.targetDtype = targetDtype;
  }

  override apply(inputs: Inputs, kwargs?: Kwargs): ReturnType<tf.layers.Layer['apply']> {
    const outputs = super.apply(inputs, kwargs);
    if (isFloatDtype(this.targetDtype)) {
      tagFloatOutputs(outputs, this.targetDtype);
    }
    return outputs;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    return Array.isArray(inputs) ? inputs.map((x) => cast(x, this.targetDtype)) : cast(inputs, this.targetDtype);
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config = super.getConfig();
    config['dtype'] = this.targetDtype;
    return config;
  }
}
tf.serialization.registerClass(Cast);

/**
 * A layer that casts its input to `dtype` (see `Cast`).
 *
 * @example
 * const x32 = mp.layers.cast({dtype: 'float32'}).apply(x16);
 */
export function castLayer(args: CastArgs): Cast {
  return new Cast(args);
}
