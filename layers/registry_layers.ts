import * as tf from '@tensorflow/tfjs';

import {Cast} from './cast_layer';
import {PolicyLayerArgs} from './layer_dtype_arg';
import {AUTOCAST} from './layer_numerics';
import {FAST_PATH_CLASSES, LAYER_TABLE, LayerRow, NOT_POLICY_LAYERS, TableClassName} from './layer_table';
import {PolicyAware, PolicyLayerClass, policyLayer} from './policy_layer';
import {isPolicyWrapperClass, registerLayerClass, stockLayerClass} from './stock_layer_class';

type TfLayers = typeof tf.layers;
type FactoryName = (typeof LAYER_TABLE)[TableClassName]['factory'];
// `dtype` replaced by a policy in each factory argument (distributes over
// `X | undefined` and the merge factories' array forms).
type WithPolicy<A> = A extends tf.SymbolicTensor[] | tf.Tensor[] ? A : A extends object ? PolicyLayerArgs<A> : A;
type PolicyParams<P extends unknown[]> = {[I in keyof P]: WithPolicy<P[I]>};
type Fn<F extends FactoryName> = TfLayers[F] extends (...args: infer P) => infer R ? [P, R] : never;

/** `mp.layers.<name>`: `tf.layers.<name>`'s signature, with `dtype` a policy and a policy-aware result. */
export type PolicyFactory<F extends FactoryName> = (
  ...args: PolicyParams<Fn<F>[0]>
) => Fn<F>[1] extends tf.layers.Layer ? Fn<F>[1] & PolicyAware : Fn<F>[1];

/** Every generated factory, by its `tf.layers` name. */
export type PolicyFactories = {[F in FactoryName]: PolicyFactory<F>};

/**
 * The tfjs layer classes registered at import, minus the containers and
 * InputLayer. Derived from the registry so that a class a later tfjs adds is
 * made policy-aware (with `AUTOCAST`) rather than skipped.
 */
export function registeredLayerClassNames(): string[] {
  const map = tf.serialization.SerializationMap.getMap().classNameMap;
  return Object.keys(map).filter((name) => {
    const cls = map[name]?.[0] as unknown as {prototype: unknown};
    return cls.prototype instanceof tf.layers.Layer && !(name in NOT_POLICY_LAYERS) && cls !== Cast;
  });
}

const classes: Record<string, PolicyLayerClass<tf.layers.Layer>> = {};
const factories: Record<string, (args?: unknown) => unknown> = {};

for (const className of registeredLayerClassNames()) {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[className]?.[0] as object;
  if (className in FAST_PATH_CLASSES || (isPolicyWrapperClass(entry) && !(className in LAYER_TABLE))) {
    continue;
  }
  const row = (LAYER_TABLE as Record<string, LayerRow>)[className];
  const Base = policyLayer(stockLayerClass(className), null, undefined, row?.numerics ?? AUTOCAST);
  const cls = {[className]: class extends Base {
    static override className = className;
  }}[className] as PolicyLayerClass<tf.layers.Layer>;
  registerLayerClass(cls);
  classes[className] = cls;
  if (row !== undefined) {
    factories[row.factory] = (args?: unknown) => {
      // The merge factories also take the inputs themselves, as tfjs's do.
      if (Array.isArray(args)) {
        return new cls({}).apply(args as tf.Tensor[]);
      }
      return new cls(args ?? {});
    };
  }
}

/**
 * The policy-aware classes made from the registry, by Keras class name.
 *
 * @example
 * const BatchNormalization = mp.layers.policyLayerClasses['BatchNormalization'];
 */
export const policyLayerClasses: Readonly<Record<string, PolicyLayerClass<tf.layers.Layer>>> = classes;

/** The generated factories (see `PolicyFactories`). */
export const FACTORIES = factories as unknown as PolicyFactories;
