import * as tf from '@tensorflow/tfjs';

import {PolicyLayerArgs} from './layer_dtype_arg';
import {policyLayer} from './policy_layer';
import {registerLayerClass, stockLayerClass} from './stock_layer_class';

type StockActivation = ReturnType<typeof tf.layers.activation>;
/** The args of `tf.layers.activation`, with `dtype` a policy. */
export type ActivationArgs = PolicyLayerArgs<Parameters<typeof tf.layers.activation>[0]>;

/**
 * `tf.layers.activation` under a dtype policy: floating inputs are cast to
 * the compute dtype and the result rounded to it; integer and bool inputs are
 * passed to the activation untouched. The recommended end of a mixed
 * precision model, a softmax in float32, is one line:
 *
 * @example
 * const probs = mp.layers.activation({activation: 'softmax', dtype: 'float32'}).apply(logits);
 */
export class Activation extends policyLayer(stockLayerClass<StockActivation>('Activation'), null) {
  static override className = 'Activation';
  constructor(args: ActivationArgs) {
    super(args);
  }
}
registerLayerClass(Activation);

/**
 * A policy-aware `tf.layers.activation`.
 *
 * @example
 * const softmax = mp.layers.activation({activation: 'softmax', dtype: 'float32'});
 */
export function activation(args: ActivationArgs): Activation {
  return new Activation(args);
}
