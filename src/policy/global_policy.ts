import {describeValue} from '../dtypes';
import {Policy, toPolicy} from './policy';
import {PolicyName} from './policy_names';

const DEFAULT_POLICY = new Policy('float32');
let current: Policy = DEFAULT_POLICY;

/**
 * The policy layers use when they are given no `dtype`. Starts as `float32`.
 *
 * @example
 * mp.globalPolicy().name; // 'float32'
 */
export function globalPolicy(): Policy {
  return current;
}

/**
 * Sets the global policy; `null` restores the default `float32`. Only
 * floating (or inferred) policies may be global, as in Keras.
 *
 * @example
 * mp.setGlobalPolicy('mixed_float16');
 * const dense = mp.layers.dense({units: 10}); // computes in float16
 */
export function setGlobalPolicy(policy: Policy | PolicyName | string | null): void {
  current = checkGlobal(policy);
}

/**
 * The experimental API's name for `setGlobalPolicy`.
 *
 * @example
 * mp.setPolicy('infer_float32_vars'); // same as mp.setGlobalPolicy('infer_float32_vars')
 */
export const setPolicy = setGlobalPolicy;

/**
 * Runs `fn` with `policy` as the global policy and restores the previous one
 * afterwards, also when `fn` throws. An async `fn` keeps the policy until its
 * promise settles; other code running meanwhile sees it too.
 *
 * @example
 * const model = mp.withPolicy('mixed_float16', () => buildModel());
 */
export function withPolicy<T>(policy: Policy | PolicyName | string | null, fn: () => T): T {
  if (typeof fn !== 'function') {
    throw new Error(`withPolicy: fn must be a function; received ${describeValue(fn)}.`);
  }
  const previous = current;
  current = checkGlobal(policy);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    current = previous;
    throw e;
  }
  if (isPromiseLike(result)) {
    const restore = () => {
      current = previous;
    };
    return result.then(
      (v) => (restore(), v),
      (e: unknown) => {
        restore();
        throw e;
      },
    ) as T;
  }
  current = previous;
  return result;
}

function checkGlobal(policy: Policy | PolicyName | string | null): Policy {
  if (policy === null) {
    return DEFAULT_POLICY;
  }
  const p = toPolicy('policy', policy);
  if (!p.isFloating) {
    throw new Error(
      `The global policy can only be a floating-point policy, such as 'float32' or ` +
        `'mixed_float16'; received '${p.name}'. Pass non-floating policies to a layer's dtype instead.`,
    );
  }
  return p;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as {then?: unknown}).then === 'function'
  );
}
