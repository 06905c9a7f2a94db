import * as tf from '@tensorflow/tfjs';

/**
 * A tfjs layer class as taken from the serialization registry. `fromConfig`
 * is loosely typed because tfjs's `FromConfigMethod<T>` is invariant in T,
 * which would stop a `Dense` class from being used where a layer class is.
 */
// The mixin pattern requires an `any[]` constructor.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LayerClass<T extends tf.layers.Layer = tf.layers.Layer> = (new (...args: any[]) => T) & {
  className: string;
  fromConfig: unknown;
};

/**
 * Registers a layer class for (de)serialization under its `className`;
 * a standard Keras name replaces tfjs's built-in entry.
 */
export function registerLayerClass(cls: LayerClass): void {
  tf.serialization.registerClass(cls as unknown as tf.serialization.SerializableConstructor<tf.layers.Layer>);
}

// Our wrappers replace the registry entries under the same class names, so
// the stock class must be captured before (or found behind) our own.
const STOCK = Symbol.for('tfjs-mixed-precision.stockLayerClass');

/**
 * The built-in tfjs layer class registered as `className` (tfjs does not
 * export `Dense`, `Conv2D`, ...). When our wrapper already took the registry
 * slot (a second copy of this package), its recorded stock class is returned.
 */
export function stockLayerClass<T extends tf.layers.Layer>(className: string): LayerClass<T> {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[className];
  if (entry === undefined) {
    throw new Error(`tfjs has no layer class registered as '${className}'.`);
  }
  const cls = entry[0] as unknown as LayerClass<T> & {[STOCK]?: LayerClass<T>};
  return cls[STOCK] ?? cls;
}

/** Records the stock class behind a wrapper, for `stockLayerClass`. */
export function markWrapper(wrapper: object, stock: LayerClass): void {
  Object.defineProperty(wrapper, STOCK, {value: stock, enumerable: false});
}

/**
 * True for a policy-aware wrapper class (of this or another copy of the
 * package) and its subclasses: the mark sits on the mixin class each wrapper
 * extends, and `in` follows the static prototype chain.
 *
 * @example
 * isPolicyWrapperClass(mp.layers.Dense); // true
 */
export function isPolicyWrapperClass(cls: object): boolean {
  return STOCK in cls;
}
