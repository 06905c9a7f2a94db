import * as tf from '@tensorflow/tfjs';

// Importing the layers registers the policy-aware classes under the Keras
// class names ('Dense', 'Conv2D', ...), so the registry answers below.
import '../../layers';
import {Cast} from '../../layers/cast_layer';
import {isPolicyWrapperClass} from '../../layers/stock_layer_class';

/**
 * What a layer class makes of its config's `dtype`:
 * - 'policy': a dtype policy in any Keras shape (the policy-aware layers);
 * - 'target': the dtype it casts to (the `Cast` layer);
 * - 'storage': a tfjs storage dtype ('float32', 'int32', 'bool', 'string').
 */
export type LayerDtypeKind = 'policy' | 'target' | 'storage';

/**
 * Asks tfjs's serialization registry which class will be built for
 * `className` and how it reads `dtype`. A class registered by someone else
 * under the same name (or none) gets 'storage', which any tfjs layer accepts.
 *
 * @example
 * layerDtypeKind('Dense');   // 'policy' (mp.layers.Dense is registered as 'Dense')
 * layerDtypeKind('Dropout'); // 'storage'
 */
export function layerDtypeKind(className: string): LayerDtypeKind {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[className];
  const cls = entry?.[0] as object | undefined;
  if (cls === undefined) {
    return 'storage';
  }
  if (isPolicyWrapperClass(cls)) {
    return 'policy';
  }
  return cls === Cast ? 'target' : 'storage';
}
