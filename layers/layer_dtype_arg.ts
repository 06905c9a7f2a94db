import {Policy} from '../src/policy/policy';
import {globalPolicy} from '../src/policy/global_policy';
import {PolicyName} from '../src/policy/policy_names';
import {KerasPolicyObject, deserializePolicy} from '../src/policy/policy_serialization';

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

