import {Policy} from './policy';
import {AsyncContext} from './async_context';

/**
 * Where the global policy lives, and how `withPolicy` scopes it. Two
 * mechanisms, one contract:
 *
 * | | with async context (Node, Deno, Bun) | without (browsers) |
 * |---|---|---|
 * | `withPolicy` scope | a context: `fn` and every callback and `await` continuation it starts see the scope's policy; code outside never does | the one global value, set for the scope and restored when `fn` returns or its promise settles |
 * | overlapping async scopes | independent: each sees its own policy, in any order of ending | refused: a second async scope while one is pending throws (an `async fn` before it runs) |
 * | `setGlobalPolicy` inside a scope | changes the scope's policy until the scope ends (as under Keras's `policy_scope`), for all of the scope's code | the same; while an async scope is pending that is every caller's |
 * | thenable whose `then` throws | nothing to undo | the policy is restored, then the error thrown |
 */
export interface PolicyScopes {
  /** The policy in effect here. */
  current(): Policy;
  /** Sets the policy of the innermost scope, or the global one outside any scope. */
  set(policy: Policy): void;
  /** Runs `fn` in a scope whose policy is `policy`. */
  run<T>(policy: Policy, fn: () => T): T;
}

/** Scopes carried by the runtime's async context: overlapping async scopes are independent. */
export function contextScopes(initial: Policy, context: AsyncContext<{policy: Policy}>): PolicyScopes {
  let root = initial;
  return {
    current: () => context.getStore()?.policy ?? root,
    set: (policy) => {
      const scope = context.getStore();
      if (scope !== undefined) {
        scope.policy = policy;
      } else {
        root = policy;
      }
    },
    run: (policy, fn) => context.run({policy}, fn),
  };
}

/**
 * Scopes on one global value, for runtimes without async context: exact for
 * synchronous scopes; at most one asynchronous scope may be open at a time,
 * since restoring on settlement is only correct when scopes end in the
 * reverse order of their start.
 */
export function globalValueScopes(initial: Policy): PolicyScopes {
  let value = initial;
  let pending: Policy | null = null; // the open async scope's policy
  const overlapError = (policy: Policy) =>
    new Error(
      `withPolicy('${policy.name}'): another asynchronous withPolicy scope ('${(pending as Policy).name}') ` +
        `is still pending. This runtime has no async context (AsyncLocalStorage), so asynchronous scopes ` +
        `cannot overlap: await the first one before starting the next, or make the inner fn synchronous.`,
    );
  return {
    current: () => value,
    set: (policy) => {
      value = policy;
    },
    run: <T>(policy: Policy, fn: () => T): T => {
      if (pending !== null && isAsyncFunction(fn)) {
        throw overlapError(policy);
      }
      const previous = value;
      const restore = () => {
        value = previous;
      };
      value = policy;
      let result: T;
      let then: unknown;
      try {
        result = fn();
        then = thenOf(result);
      } catch (e) {
        restore();
        throw e;
      }
      if (typeof then !== 'function') {
        restore();
        return result;
      }
      if (pending !== null) {
        // A plain function that returned a promise: known too late to refuse
        // up front. Restore now, and report once its promise settles.
        restore();
        const error = overlapError(policy);
        const fail = () => {
          throw error;
        };
        return Promise.resolve(result).then(fail, fail) as T;
      }
      pending = policy;
      let settled = false;
      const end = () => {
        if (!settled) {
          settled = true;
          pending = null;
          restore();
        }
      };
      try {
        return (then as PromiseLike<unknown>['then']).call(
          result,
          (v) => (end(), v),
          (e: unknown) => {
            end();
            throw e;
          },
        ) as T;
      } catch (e) {
        end();
        throw e;
      }
    },
  };
}

// Reads `then` once: a getter may throw, or answer differently the second time.
function thenOf(value: unknown): unknown {
  return value !== null && (typeof value === 'object' || typeof value === 'function')
    ? (value as {then?: unknown}).then
    : undefined;
}

function isAsyncFunction(fn: unknown): boolean {
  return Object.prototype.toString.call(fn) === '[object AsyncFunction]';
}
