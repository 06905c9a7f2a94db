import * as tf from '@tensorflow/tfjs';

/**
 * True when `test` holds for a layer of `model`, nested models' layers
 * included (a nested model is looked into, not tested itself).
 *
 * @example
 * someLayer(model, (layer) => layer.getClassName() === 'Dropout');
 */
export function someLayer(model: tf.LayersModel, test: (layer: tf.layers.Layer) => boolean): boolean {
  return model.layers.some((layer) => (layer instanceof tf.LayersModel ? someLayer(layer, test) : test(layer)));
}
