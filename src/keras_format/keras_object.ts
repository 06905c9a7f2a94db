import {describeValue} from '../dtypes';
import {Json, JsonObject, isJsonObject} from './json';

// Keys Keras 3 adds to every serialized object ({module, class_name, config,
// registered_name}) and to layer entries (build_config, compile_config): tfjs
// neither needs nor understands them.
const KERAS3_NOISE_KEYS = ['module', 'registered_name', 'build_config', 'compile_config'];

/** True for a Keras serialized object: `{class_name, config, ...}`. */
export function isKerasObject(value: Json | undefined): value is JsonObject {
  return isJsonObject(value) && typeof value['class_name'] === 'string' && 'config' in value;
}

/**
 * A copy of `value` where every nested Keras object (initializers,
 * regularizers, constraints, ...) has lost its Keras 3 noise keys and uses a
 * class name tfjs registers (`LecunNormal` -> `LeCunNormal`, `L2` -> `L1L2`,
 * ...). Values that are not Keras objects are copied.
 */
export function cleanKerasObjects(value: Json, where = 'value', key = ''): Json {
  if (Array.isArray(value)) {
    return Array.from(value, (v, i) => cleanKerasObjects(v, where, `${key}[${i}]`));
  }
  if (!isJsonObject(value)) {
    return value;
  }
  const out: JsonObject = {};
  const keras = isKerasObject(value);
  if (keras && value['config'] !== null && !isJsonObject(value['config'])) {
    // tfjs would fail inside its deserializer with a JavaScript TypeError.
    throw new Error(
      `${where}: ${key === '' ? '' : `${key}.`}config of the Keras object '${value['class_name']}' must be an object; ` +
        `received ${describeValue(value['config'])}.`,
    );
  }
  for (const [k, v] of Object.entries(value)) {
    if (keras && KERAS3_NOISE_KEYS.includes(k)) {
      continue;
    }
    out[k] = cleanKerasObjects(v, where, key === '' ? k : `${key}.${k}`);
  }
  return keras ? renameForTfjs(out) : out;
}

/** Drops the Keras 3 noise keys of one layer or model entry (not recursive). */
export function withoutNoiseKeys(entry: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(entry)) {
    if (!KERAS3_NOISE_KEYS.includes(k)) {
      out[k] = v;
    }
  }
  return out;
}

// Keras class names tfjs registers under another spelling.
const TFJS_CLASS_NAMES: Readonly<Record<string, string>> = {
  LecunNormal: 'LeCunNormal',
  LecunUniform: 'LeCunUniform',
  // Keras 3's class names behind the Identity and Orthogonal initializers.
  IdentityInitializer: 'Identity',
  OrthogonalInitializer: 'Orthogonal',
};

// Keras writes the L1 and L2 regularizers as their own classes (Keras 2.5+ and
// 3); tfjs registers only L1L2, which covers both.
function renameForTfjs(obj: JsonObject): JsonObject {
  const className = obj['class_name'];
  const config = obj['config'];
  const renamed = typeof className === 'string' ? TFJS_CLASS_NAMES[className] : undefined;
  if (renamed !== undefined) {
    return {...obj, class_name: renamed};
  }
  if ((className === 'L1' || className === 'L2') && isJsonObject(config)) {
    const key = className === 'L1' ? 'l1' : 'l2';
    const other = className === 'L1' ? 'l2' : 'l1';
    return {...obj, class_name: 'L1L2', config: {[key]: config[key] ?? 0, [other]: 0}};
  }
  return obj;
}
