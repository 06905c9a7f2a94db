import {describeValue} from '../dtypes';
import {Policy, checkPolicyName, toPolicy} from './policy';
import {PolicyName, isPolicyName} from './policy_names';

/**
 * The object form Keras 2 writes for a policy that is not a plain dtype.
 *
 * @example
 * const field: mp.KerasPolicyObject = {class_name: 'Policy', config: {name: 'mixed_float16'}};
 */
export interface KerasPolicyObject {
  class_name: 'Policy';
  config: {name: PolicyName};
}

/**
 * What `serializePolicy` writes into a layer's `dtype` field: a plain dtype
 * name or a `KerasPolicyObject`.
 *
 * @example
 * const field: mp.SerializedPolicy = mp.serializePolicy(new mp.Policy('float16')); // 'float16'
 */
export type SerializedPolicy = string | KerasPolicyObject;

// Class names Keras has written for a policy: tf.keras 2.x ('Policy', the
// experimental 'PolicyV1'), Keras 3.4+ ('DTypePolicy', and 'FloatDTypePolicy'
// in 3.4-3.5).
const POLICY_CLASS_NAMES = ['Policy', 'PolicyV1', 'DTypePolicy', 'FloatDTypePolicy'];

/**
 * Writes a policy the way Keras 2.x does in a layer's `dtype` field: a plain
 * string for single-dtype policies, `{class_name: 'Policy', config: {name}}`
 * for the others. Takes a `Policy` or a policy name, as `setGlobalPolicy` does;
 * anything else is refused with the list of valid names.
 *
 * @example
 * mp.serializePolicy(new mp.Policy('float32'));       // 'float32'
 * mp.serializePolicy(new mp.Policy('mixed_float16')); // {class_name: 'Policy', config: {name: 'mixed_float16'}}
 * mp.serializePolicy('mixed_float16');                // the same
 */
export function serializePolicy(policyOrName: Policy | PolicyName | string): SerializedPolicy {
  const policy = toPolicy('serializePolicy: policy', policyOrName);
  if (policy.computeDtype !== null && !policy.shouldCastVariables) {
    return policy.name;
  }
  return {class_name: 'Policy', config: {name: policy.name}};
}

/**
 * Reads every shape Keras has written into a layer's `dtype` field, and the
 * same after tfjs's loader camelCased it:
 * - a plain string: `'float32'`, `'mixed_float16'` (also `'mixedFloat16'`);
 * - `{class_name: 'Policy' | 'PolicyV1', config: {name, loss_scale?}}` (TF 2.1 to
 *   Keras 2.12; `loss_scale` is ignored);
 * - the same with `module: 'keras.mixed_precision', registered_name: null`
 *   (Keras 2.13-2.15);
 * - `{module: 'keras', class_name: 'DTypePolicy', config: {name}, registered_name: null}`
 *   (Keras 3.4+), with or without `module`.
 * Returns null for a missing field (`null`/`undefined`): the layer then uses
 * the global policy.
 *
 * @example
 * mp.deserializePolicy({class_name: 'Policy', config: {name: 'mixed_float16'}}).name; // 'mixed_float16'
 */
export function deserializePolicy(field: unknown): Policy | null {
  if (field === null || field === undefined) {
    return null;
  }
  if (field instanceof Policy) {
    return field;
  }
  if (typeof field === 'string') {
    return new Policy(readName('dtype', field));
  }
  if (typeof field !== 'object' || Array.isArray(field)) {
    throw new Error(
      `dtype must be a policy name or a serialized policy object; received ${describeValue(field)}.`,
    );
  }
  const obj = field as Record<string, unknown>;
  const className = obj['class_name'] ?? obj['className'];
  if (typeof className !== 'string' || !POLICY_CLASS_NAMES.includes(className)) {
    throw new Error(
      `dtype: a serialized policy must have class_name one of ${POLICY_CLASS_NAMES.map((n) => `'${n}'`).join(', ')}; ` +
        `received ${describeValue(className)} in ${describeValue(field)}.`,
    );
  }
  const config = obj['config'];
  const name =
    config !== null && typeof config === 'object' ? (config as Record<string, unknown>)['name'] : undefined;
  if (typeof name !== 'string') {
    throw new Error(`dtype: a serialized ${className} needs config.name; received ${describeValue(field)}.`);
  }
  return new Policy(readName('dtype.config.name', name));
}

// tfjs's loader camelCases string values ('mixed_float16' -> 'mixedFloat16');
// map those back to the Keras names. Only that exact spelling: 'MIXED_FLOAT16'
// or 'Float32' are refused, as by `new Policy` and by Keras.
const CAMEL_CASE = /^[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)+$/;

function readName(argName: string, name: string): PolicyName {
  if (isPolicyName(name)) {
    return name;
  }
  const snake = CAMEL_CASE.test(name) ? name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase() : name;
  return checkPolicyName(argName, isPolicyName(snake) ? snake : name);
}
