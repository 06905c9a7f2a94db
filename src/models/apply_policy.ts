import * as tf from '@tensorflow/tfjs';

import {PolicyLike, policyConfigValue, resolveLayerPolicy} from '../../layers/layer_dtype_arg';
import {describeValue} from '../dtypes';
import {layerDtypeKind} from '../keras_format/layer_dtype_kind';
import {Policy} from '../policy/policy';

/**
 * Per-layer policies for `applyPolicy`, by layer name (Keras 3's
 * `DTypePolicyMap`): a `Map` or a plain object.
 *
 * @example
 * const overrides: mp.PolicyOverrides = {dense_2: 'float32'};
 */
export type PolicyOverrides = ReadonlyMap<string, PolicyLike> | Readonly<Record<string, PolicyLike>>;

type ConfigDict = tf.serialization.ConfigDict;
// A layer as a model's getConfig() lists it (`name`/`inboundNodes` in
// functional models only).
interface LayerEntry {
  className: string;
  config: ConfigDict;
}

// Model classes whose config holds a `layers` list to walk into.
const MODEL_CLASS_NAMES = ['Sequential', 'Model', 'Functional'];

/**
 * A new model with `model`'s topology and weights whose layers follow
 * `policy`, except those named in `overrides` (e.g. keep the last layer in
 * float32, as Keras examples do for the softmax). `model` may be built from
 * stock `tf.layers.*` or loaded by `tf.loadLayersModel`; it is left as it is.
 *
 * How: the model's config is rewritten (every policy-aware layer, nested
 * models included, gets its policy as `dtype`) and rebuilt through tfjs's
 * serialization registry, where the policy-aware classes are registered
 * under the Keras class names; then each layer's weights are copied. So
 * every class the registry maps to a policy-aware class is covered; the
 * `InputLayer` (float32, as in Keras) and the `Cast` layer keep their
 * dtype, and classes without a policy-aware version keep computing in
 * float32. A float16/bfloat16 (non-mixed) policy rounds the copied weights
 * into its dtype.
 *
 * The new model is not compiled: compile it (under `mixed_float16`, compile
 * wraps the optimizer in a `LossScaleOptimizer`). Errors (a bad policy, an
 * override naming no layer or a layer that takes no policy) are thrown before
 * anything is built, naming the argument, the value and the valid choices.
 *
 * @example
 * const stock = await tf.loadLayersModel(handler);
 * const mixed = mp.applyPolicy(stock, 'mixed_float16', {predictions: 'float32'});
 * mixed.compile({optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy'});
 */
export function applyPolicy(model: tf.LayersModel, policy: PolicyLike, overrides: PolicyOverrides = {}): tf.LayersModel {
  if (!(model instanceof tf.LayersModel)) {
    throw new Error(`applyPolicy: model must be a tf.LayersModel (tf.sequential, tf.model, tf.loadLayersModel); received ${describeValue(model)}.`);
  }
  const defaultPolicy = checkPolicy('applyPolicy: policy', policy);
  const byName = readOverrides(overrides);
  const config = deepCopy(model.getConfig()) as ConfigDict;
  const policyAware: string[] = [];
  const named = new Set<string>();
  rewrite(config, (entry) => {
    const name = entry.config['name'] as string;
    const kind = layerDtypeKind(entry.className);
    const override = byName.get(name);
    if (kind !== 'policy') {
      if (override !== undefined) {
        throw new Error(
          `applyPolicy: overrides names layer '${name}', a ${entry.className}, which takes no dtype policy ` +
            `(${kind === 'target' ? 'a Cast layer casts to its own dtype' : 'not a policy-aware class'}). ` +
            `Layers that take one: ${quoteAll(policyAwareNames(config))}.`,
        );
      }
      return;
    }
    policyAware.push(name);
    let p = defaultPolicy;
    if (override !== undefined) {
      named.add(name);
      p = checkLayerPolicy(`applyPolicy: overrides['${name}'] (a ${entry.className})`, entry.className, override);
    }
    entry.config['dtype'] = policyConfigValue(p);
  });
  const unknown = [...byName.keys()].filter((n) => !named.has(n));
  if (unknown.length > 0) {
    throw new Error(
      `applyPolicy: overrides names ${quoteAll(unknown)}, which ${unknown.length === 1 ? 'is not a layer' : 'are not layers'} ` +
        `of model '${model.name}'. Layers that take a policy: ${quoteAll(policyAware)}.`,
    );
  }
  return rebuild(model, config);
}

function rebuild(model: tf.LayersModel, config: ConfigDict): tf.LayersModel {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[model.getClassName()];
  if (entry === undefined) {
    throw new Error(`applyPolicy: tfjs has no class registered as '${model.getClassName()}' to rebuild the model with.`);
  }
  const [cls, fromConfig] = entry;
  // fastWeightInit (tfjs's loader does the same): the weights are zeros
  // until copied below. Running the initializers instead would waste time
  // and leak: tfjs's LSTM bias initializer under unit_forget_bias (what
  // Keras configs hold) leaves 4 intermediate tensors behind.
  const fromConfigFast = fromConfig as unknown as (
    c: typeof cls,
    config: ConfigDict,
    customObjects: ConfigDict,
    fastWeightInit: boolean,
  ) => tf.LayersModel;
  const rebuilt = fromConfigFast(cls, config, {}, true);
  try {
    for (const layer of model.layers) {
      rebuilt.getLayer(layer.name).setWeights(layer.getWeights());
    }
  } catch (e) {
    rebuilt.dispose();
    throw e;
  }
  return rebuilt;
}

// Calls `visit` on every layer entry, descending into nested models.
function rewrite(config: ConfigDict, visit: (entry: LayerEntry) => void): void {
  const layers = config['layers'];
  if (!Array.isArray(layers)) {
    return;
  }
  for (const layer of layers as unknown as LayerEntry[]) {
    if (MODEL_CLASS_NAMES.includes(layer.className)) {
      rewrite(layer.config, visit);
    } else {
      visit(layer);
    }
  }
}

function policyAwareNames(config: ConfigDict): string[] {
  const names: string[] = [];
  rewrite(config, (entry) => {
    if (layerDtypeKind(entry.className) === 'policy') {
      names.push(entry.config['name'] as string);
    }
  });
  return names;
}

function readOverrides(overrides: unknown): Map<string, PolicyLike> {
  if (overrides instanceof Map) {
    return new Map(overrides as Map<string, PolicyLike>);
  }
  if (overrides === null || typeof overrides !== 'object' || Array.isArray(overrides) || overrides instanceof Policy) {
    throw new Error(
      `applyPolicy: overrides must map layer names to policies, as a Map or an object such as ` +
        `{dense_2: 'float32'}; received ${describeValue(overrides)}.`,
    );
  }
  return new Map(Object.entries(overrides as Record<string, PolicyLike>));
}

function checkPolicy(where: string, value: unknown): Policy {
  if (value === null || value === undefined) {
    throw new Error(`${where} is required: a policy such as 'mixed_float16'; received ${describeValue(value)}.`);
  }
  return checkLayerPolicy(where, null, value);
}

// resolveLayerPolicy's checks (a floating policy in any serialized shape),
// reworded for this function's arguments.
function checkLayerPolicy(where: string, className: string | null, value: unknown): Policy {
  if (value === null || value === undefined) {
    throw new Error(`${where} must be a policy such as 'float32'; received ${describeValue(value)}.`);
  }
  try {
    return resolveLayerPolicy(className ?? 'layer', value);
  } catch (e) {
    const message = (e as Error).message.replace(/^[^:]*: /, '');
    throw new Error(`${where}: ${message}`);
  }
}

// A copy of a config (plain objects, arrays, primitives) made in this realm:
// tfjs checks `instanceof Array`, which structuredClone's arrays fail under
// jest and in other multi-realm hosts.
function deepCopy(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(deepCopy);
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepCopy(v)]));
  }
  return value;
}

function quoteAll(names: string[]): string {
  return names.length === 0 ? '(none)' : names.map((n) => `'${n}'`).join(', ');
}
