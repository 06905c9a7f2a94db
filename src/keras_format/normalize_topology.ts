import {describeValue} from '../dtypes';
import {toEndpointList, toKeras2InboundNodes} from './inbound_nodes';
import {checkNodeGraph} from './node_graph';
import {Json, JsonObject, cloneJson, isJsonObject} from './json';
import {cleanKerasObjects, withoutNoiseKeys} from './keras_object';
import {policyField} from './policy_field';
import {layerDtypeKind} from './layer_dtype_kind';
import {storageDtype} from './storage_dtype';

const MODEL_CLASS_NAMES = ['Sequential', 'Functional', 'Model'];

/**
 * Rewrites a Keras model topology (the `modelTopology` of a model.json) into
 * the form stock tfjs-layers reads, without touching its input:
 * - Keras 3: InputLayer `batch_shape` becomes `batch_input_shape`;
 *   `inbound_nodes` written as `{args, kwargs}` become Keras 2 node lists;
 *   `input_layers`/`output_layers` become lists of triples; `module`,
 *   `registered_name`, `build_config` and `compile_config` are dropped.
 * - `dtype` fields: layers whose registered class is policy-aware (this
 *   package's Dense, convolutions and Activation) keep their policy, in the
 *   Keras 2 shape; the Cast layer keeps its target dtype; every other layer,
 *   InputLayers and models get the plain dtype their values are stored in
 *   ('float32' for every floating policy).
 * - So a Sequential model's first layer, which carries `batch_input_shape`,
 *   never hands tfjs a policy as its input dtype (predict would refuse
 *   float32 data): a policy-aware class gives tfjs float32 itself, and every
 *   other class gets a storage dtype here.
 * - Class names tfjs spells differently: `L1`/`L2` regularizers become
 *   `L1L2`, `LecunNormal` becomes `LeCunNormal`, ... (see `cleanKerasObjects`).
 * - Arrays are built in this realm, so tfjs's `instanceof Array` checks pass
 *   for JSON parsed elsewhere (Node's fetch under jest, a vm context).
 * Keras 2 topologies ('Model', 'Functional', 'Sequential', with or without a
 * `model_config` wrapper) pass through with only these rewrites.
 *
 * @example
 * const json = JSON.parse(fs.readFileSync('model.json', 'utf8'));
 * const topology = mp.normalizeKerasTopology(json.modelTopology);
 */
export function normalizeKerasTopology(topology: unknown): JsonObject {
  if (!isJsonObject(topology)) {
    throw new Error(
      `normalizeKerasTopology: topology must be a model topology object ({model_config} or {class_name, config}); ` +
        `received ${describeValue(topology)}.`,
    );
  }
  const modelConfig = topology['model_config'];
  if (modelConfig !== undefined) {
    return {...cloneJson(topology), model_config: normalizeModel(modelConfig, 'model_config')};
  }
  return normalizeModel(topology, 'modelTopology');
}

function normalizeModel(entry: Json, where: string): JsonObject {
  if (!isJsonObject(entry) || typeof entry['class_name'] !== 'string') {
    throw new Error(`${where} must be a {class_name, config} object; received ${describeValue(entry)}.`);
  }
  const className = entry['class_name'];
  if (!MODEL_CLASS_NAMES.includes(className)) {
    throw new Error(
      `${where}: class_name must be one of ${MODEL_CLASS_NAMES.map((n) => `'${n}'`).join(', ')}; received '${className}'.`,
    );
  }
  const out = cloneJson(withoutNoiseKeys(entry));
  const config = entry['config'];
  const name = modelName(entry);
  const here = `model '${name}'`;
  if (className === 'Sequential') {
    // Keras < 2.2 wrote a Sequential config as the bare list of its layers.
    const layers = Array.isArray(config) ? config : isJsonObject(config) ? config['layers'] : undefined;
    if (!Array.isArray(layers) || layers.length === 0) {
      throw new Error(`${here}: a Sequential config needs a list of at least one layer; received ${describeValue(config)}.`);
    }
    const normalized = Array.from(layers, (l, i) => normalizeLayer(l, `${here}, layer ${i}`, false));
    out['config'] = Array.isArray(config) ? normalized : {...modelLevelConfig(config as JsonObject, here), layers: normalized};
    return out;
  }
  if (!isJsonObject(config) || !Array.isArray(config['layers'])) {
    throw new Error(`${here}: a functional config needs a layers list; received ${describeValue(config)}.`);
  }
  const layers = Array.from(config['layers'], (l, i) => normalizeLayer(l, `${here}, layer ${i}`, true));
  const endpoints = {
    input_layers: toEndpointList(config['input_layers'], `${here}: input_layers`),
    output_layers: toEndpointList(config['output_layers'], `${here}: output_layers`),
  };
  checkNodeGraph(layers, endpoints, here);
  out['config'] = {...modelLevelConfig(config, here), layers, ...endpoints};
  return out;
}

function modelName(entry: JsonObject): string {
  const config = entry['config'];
  const name = entry['name'] ?? (isJsonObject(config) ? config['name'] : undefined);
  return typeof name === 'string' ? name : '(unnamed)';
}

// A model's own config minus its layers; a policy on a model becomes its
// storage dtype (tfjs models have no policy of their own).
function modelLevelConfig(config: JsonObject, where: string): JsonObject {
  const out = cleanKerasObjects(config, where) as JsonObject;
  if ('dtype' in config) {
    out['dtype'] = storageDtype(config['dtype'], where);
  }
  return out;
}

function normalizeLayer(entry: Json, where: string, functional: boolean): JsonObject {
  if (!isJsonObject(entry) || typeof entry['class_name'] !== 'string' || !isJsonObject(entry['config'])) {
    throw new Error(`${where} must be a {class_name, config} object; received ${describeValue(entry)}.`);
  }
  const className = entry['class_name'];
  const config = entry['config'];
  const name = typeof config['name'] === 'string' ? config['name'] : typeof entry['name'] === 'string' ? entry['name'] : undefined;
  const here = name === undefined ? `${where} (${className})` : `layer '${name}' (${className})`;
  checkLayerName(entry, functional, here);
  let out: JsonObject;
  if (MODEL_CLASS_NAMES.includes(className)) {
    out = normalizeModel(entry, here);
  } else {
    out = cloneJson(withoutNoiseKeys(entry));
    out['config'] = normalizeLayerConfig(className, config, here);
  }
  if (functional) {
    if (name !== undefined && out['name'] === undefined) {
      out['name'] = name;
    }
    out['inbound_nodes'] = toKeras2InboundNodes(entry['inbound_nodes'], here);
  }
  return out;
}

// tfjs finds a functional model's layers by the entry's name (inbound
// nodes refer to it) and files their nodes under the config's name.
function checkLayerName(entry: JsonObject, functional: boolean, where: string): void {
  const names = [(entry['config'] as JsonObject)['name'], entry['name']];
  for (const [key, value] of [['config.name', names[0]], ['name', names[1]]] as const) {
    if (value !== undefined && (typeof value !== 'string' || value.length === 0)) {
      throw new Error(`${where}: ${key} must be a non-empty string; received ${describeValue(value)}.`);
    }
  }
  if (functional && names[0] === undefined && names[1] === undefined) {
    throw new Error(`${where}: a layer of a functional model needs a name (config.name), which its inbound nodes refer to.`);
  }
}

function normalizeLayerConfig(className: string, config: JsonObject, where: string): JsonObject {
  const out = cleanKerasObjects(config, where) as JsonObject;
  if (className === 'InputLayer') {
    // Keras 3 renamed batch_input_shape to batch_shape.
    if (out['batch_input_shape'] === undefined && out['batch_shape'] !== undefined) {
      out['batch_input_shape'] = out['batch_shape'];
    }
    delete out['batch_shape'];
  }
  for (const [key, valid, what] of SIZE_FIELDS) {
    const value = out[key];
    if (value != null && !valid(value)) {
      throw new Error(`${where}: ${key} must be ${what}; received ${describeValue(value)}.`);
    }
  }
  if ('dtype' in config) {
    const value = dtypeFor(className, config['dtype'], where);
    if (value === undefined) {
      delete out['dtype'];
    } else {
      out['dtype'] = value;
    }
  }
  return out;
}

// Size fields tfjs reads without checking (a null in strides fails deep in
// tfjs with a JavaScript TypeError).
const isSize = (d: Json): boolean => Number.isInteger(d) && (d as number) > 0;
const sizes = (v: Json): boolean => isSize(v) || (Array.isArray(v) && v.length > 0 && v.every(isSize));
const SIZE_FIELDS: ReadonlyArray<[string, (v: Json) => boolean, string]> = [
  ['batch_input_shape', (v) => Array.isArray(v) && v.every((d) => d === null || isSize(d)), 'a list of positive integers or nulls'],
  ['input_shape', (v) => Array.isArray(v) && v.every((d) => d === null || isSize(d)), 'a list of positive integers or nulls'],
  ...['kernel_size', 'strides', 'dilation_rate', 'pool_size', 'size'].map(
    (key) => [key, sizes, 'a positive integer or a list of them'] as [string, (v: Json) => boolean, string],
  ),
];

// The dtype the class tfjs will build for `className` can read.
function dtypeFor(className: string, dtype: Json, where: string): Json | undefined {
  switch (className === 'InputLayer' ? 'storage' : layerDtypeKind(className)) {
    case 'policy':
      return policyField(dtype, where);
    case 'target':
      return cloneJson(dtype);
    case 'storage':
      return storageDtype(dtype, where);
  }
}
