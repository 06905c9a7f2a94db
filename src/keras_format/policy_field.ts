import {deserializePolicy, serializePolicy} from '../policy/policy_serialization';
import {Json} from './json';
import {storageDtype, storageDtypeOfName} from './storage_dtype';

/**
 * The `dtype` field of a policy-aware layer, rewritten in the Keras 2 shape
 * `serializePolicy` writes, so that every Keras version's form (DTypePolicy
 * objects, `module` noise, plain strings) reaches the layer as one shape and a
 * bad policy fails here, naming the layer. A Keras dtype that is not a policy
 * (`'float64'`, `'int64'`) becomes the policy of its storage dtype.
 */
export function policyField(field: Json | undefined, where: string): Json | undefined {
  if (field === null || field === undefined) {
    return field;
  }
  try {
    return serializePolicy(deserializePolicy(field)!) as Json;
  } catch (e) {
    if (typeof field === 'string' && storageDtypeOfName(field) !== undefined) {
      return storageDtype(field, where);
    }
    throw new Error(`${where}: cannot read its dtype policy: ${(e as Error).message}`);
  }
}
