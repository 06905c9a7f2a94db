import {describeValue} from '../dtypes';
import {Policy, toPolicy} from './policy';
import {PolicyName} from './policy_names';
import {createAsyncContext} from './async_context';
import {PolicyScopes, contextScopes, globalValueScopes} from './policy_scopes';

const DEFAULT_POLICY = new Policy('float32');
// Async context where the runtime has it (Node), else one global value.
const asyncContext = createAsyncContext<{policy: Policy}>();
const scopes: PolicyScopes =
  asyncContext !== null ? contextScopes(DEFAULT_POLICY, asyncContext) : globalValueScopes(DEFAULT_POLICY);

/**
 * The policy layers use when they are given no `dtype`. Starts as `float32`.
 * Inside a `withPolicy` scope, the scope's policy.
 *
 * @example
 * mp.globalPolicy().name; // 'float32'
 */
export function globalPolicy(): Policy {
  return scopes.current();
}

/**
 * Sets the global policy; `null` restores the default `float32`. Only
 * floating (or inferred) policies may be global, as in Keras. Inside a
 * `withPolicy` scope it sets the scope's policy, which ends with the scope
 * (as `set_global_policy` inside Keras's `policy_scope`).
 *
 * @example
 * mp.setGlobalPolicy('mixed_float16');
 * const dense = mp.layers.dense({units: 10}); // computes in float16
 */
export function setGlobalPolicy(policy: Policy | PolicyName | string | null): void {
  scopes.set(checkGlobal(policy));
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
 * promise settles.
 *
 * Where the runtime has async context (Node's AsyncLocalStorage; also Deno and
 * Bun), the policy belongs to the scope: `fn`, its `await` continuations and
 * the callbacks it schedules see it, code outside never does, and overlapping
 * async scopes are independent whatever order they end in. Without it
 * (browsers), the policy is the one global value while the scope is open, and
 * a second asynchronous scope started while one is pending is refused with an
 * error. `setGlobalPolicy` inside a scope changes the scope's policy until the
 * scope ends. See `PolicyScopes` for the table.
 *
 * @example
 * const model = mp.withPolicy('mixed_float16', () => buildModel());
 * await Promise.all([
 *   mp.withPolicy('float16', async () => { await tick(); return mp.globalPolicy().name; }),  // 'float16'
 *   mp.withPolicy('bfloat16', async () => { await tick(); return mp.globalPolicy().name; }), // 'bfloat16'
 * ]);
 */
export function withPolicy<T>(policy: Policy | PolicyName | string | null, fn: () => T): T {
  if (typeof fn !== 'function') {
    throw new Error(`withPolicy: fn must be a function; received ${describeValue(fn)}.`);
  }
  return scopes.run(checkGlobal(policy), fn);
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
