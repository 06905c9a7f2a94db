import {FloatDtype} from '../src/dtypes';
import {Policy} from '../src/policy/policy';
import {globalPolicy} from '../src/policy/global_policy';
import {PolicyName} from '../src/policy/policy_names';
import * as tf from '@tensorflow/tfjs';

import {KerasPolicyObject, deserializePolicy, serializePolicy} from '../src/policy/policy_serialization';

/**
 * What a policy layer's `dtype` argument accepts: a `Policy`, a policy name
 * (also tfjs's camelCased `'mixedFloat16'`), or any serialized policy shape
 * Keras or tfjs's loader wrote (`{class_name|className: 'Policy' |
 * 'DTypePolicy', config: {name}}`).
 */
export type PolicyLike =
  | Policy
  | PolicyName
  | KerasPolicyObject
  | {className: string; config: {name: string}}
  | {class_name: string; config: {name: string}; module?: string; registered_name?: null};

/** The tfjs args of a layer with its `dtype` replaced by a policy. */
export type PolicyLayerArgs<A> = Omit<A, 'dtype'> & {
  /** The layer's dtype policy; default: the global policy at construction. */
  dtype?: PolicyLike | null;
};

// tfjs layers hold float32 tensors only; whatever the policy, the tfjs
// machinery (InputLayer created by tf.sequential, addWeight) must see this.
export const STORAGE_DTYPE = 'float32';

/**
 * Resolves a layer's `dtype` argument into a floating policy, naming the layer
 * class in errors. Without one, the global policy at construction is used.
 */
export function resolveLayerPolicy(className: string, dtype: unknown): Policy {
  let policy: Policy | null;
  try {
    policy = deserializePolicy(dtype);
  } catch (e) {
    throw new Error(`${className}: ${(e as Error).message}`);
  }
  policy = policy ?? globalPolicy();
  if (!policy.isFloating) {
    throw new Error(
      `${className}: dtype must be a floating policy such as 'float32', 'mixed_float16' or ` +
        `'mixed_bfloat16'; received '${policy.name}', which cannot hold this layer's weights.`,
    );
  }
  return policy;
}


/**
 * The concrete policy an `infer` policy becomes once its input dtype is known,
 * as TF 1.14's `with_input_dtype`: `infer` computes and stores in that dtype;
 * `infer_float32_vars` keeps float32 variables (so float16 input gives
 * `mixed_float16`). Other policies are returned unchanged.
 *
 * @example
 * resolveInferredPolicy(new Policy('infer_float32_vars'), 'float16').name; // 'mixed_float16'
 */
export function resolveInferredPolicy(policy: Policy, inputDtype: FloatDtype): Policy {
  if (policy.computeDtype !== null) {
    return policy;
  }
  if (policy.variableDtype === 'float32' && inputDtype !== 'float32') {
    return new Policy(inputDtype === 'float16' ? 'mixed_float16' : 'mixed_bfloat16');
  }
  return new Policy(inputDtype);
}

/**
 * A policy as a layer's `getConfig()` holds it: `serializePolicy`'s Keras 2
 * shape in tfjs's in-memory spelling (`className`, as tfjs writes its
 * initializers). tfjs's saver snake-cases keys and every string value except
 * under `name`/`className`, so this becomes exactly Keras's
 * `{"class_name": "Policy", "config": {"name": "mixed_float16"}}` in
 * model.json, where a `class_name` written directly would have its value
 * snake-cased to `"policy"`.
 *
 * @example
 * policyConfigValue(new Policy('mixed_float16')); // {className: 'Policy', config: {name: 'mixed_float16'}}
 * policyConfigValue(new Policy('float16'));       // 'float16'
 */
export function policyConfigValue(policy: Policy): tf.serialization.ConfigDictValue {
  const serialized = serializePolicy(policy);
  if (typeof serialized === 'string') {
    return serialized;
  }
  return {className: serialized.class_name, config: {name: serialized.config.name}};
}
