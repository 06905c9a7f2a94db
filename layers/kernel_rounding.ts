import * as tf from '@tensorflow/tfjs';

import {cast} from '../src/cast/cast';
import {NarrowDtype} from '../src/cast/narrow_dtype';
import {ROUND_KERNEL_NAME} from '../src/cast/round_kernel_name';
import {dtypeOf} from '../src/logical_dtype';

type Engine = ReturnType<typeof tf.engine>;
type RunKernel = Engine['runKernel'];
type Inputs = Parameters<RunKernel>[1];

/** One layer call: the dtype its kernels round to (null: none), and its cached roundings. */
interface Scope {
  dtype: NarrowDtype | null;
  // A variable or constant read by several kernels is rounded once per call,
  // as Keras's autocast reads it once: one cast node, so its gradient (the
  // sum over its uses) is rounded once too.
  rounded: Map<tf.Tensor, tf.Tensor>;
}

const stack: Scope[] = [];
let original: RunKernel | null = null;
let hadOwnRunKernel = false;
// True while this module's own casts run (they are kernels too).
let inside = false;
const notAutocast = new WeakSet<object>();

/**
 * Keras's `autocast=False` for one variable: kernels inside a rounding scope
 * read it as stored (float32 under mixed policies) instead of rounding it.
 *
 * @example
 * excludeFromAutocast(layer.weights[0]);
 */
export function excludeFromAutocast(variable: tf.layers.Layer['weights'][number]): void {
  notAutocast.add((variable as unknown as {val: tf.Variable}).val);
}

/**
 * Runs a layer's stock `call` so that it computes as Keras does in a half
 * precision compute dtype: every floating tensor a kernel reads is in `dtype`
 * (variables, constants, noise, states: rounded once per call) and every
 * floating tensor a kernel writes is rounded to `dtype`, with `cast`, whose
 * gradient rounds too. This is how one mechanism serves every tfjs layer
 * class without rewriting its `call`: tfjs ops all go through
 * `engine.runKernel`, which is wrapped for the duration of the outermost
 * scope only. `dtype` null runs `fn` unrounded (a float32 or self-rounding
 * layer nested in a rounding one, e.g. inside TimeDistributed).
 */
export function withKernelRounding<T>(dtype: NarrowDtype | null, fn: () => T): T {
  if (dtype === null && stack.length === 0) {
    return fn();
  }
  // A policy layer called inside another of the same compute dtype (an RNN
  // cell at each step) shares its reads: one rounding per outer call.
  const outer = stack[stack.length - 1];
  const shared = outer !== undefined && outer.dtype === dtype;
  const scope: Scope = shared ? outer : {dtype, rounded: new Map()};
  stack.push(scope);
  if (stack.length === 1) {
    install();
  }
  let result: T | undefined;
  try {
    result = fn();
    return result;
  } finally {
    stack.pop();
    if (stack.length === 0) {
      uninstall();
    }
    // A shared scope's roundings are disposed by the outer call.
    if (!shared) {
      const returned = new Set<unknown>(Array.isArray(result) ? result : [result]);
      for (const r of scope.rounded.values()) {
        if (!returned.has(r)) {
          r.dispose();
        }
      }
    }
  }
}

function install(): void {
  const engine = tf.engine();
  hadOwnRunKernel = Object.prototype.hasOwnProperty.call(engine, 'runKernel');
  original = engine.runKernel;
  engine.runKernel = roundingRunKernel as RunKernel;
}

function uninstall(): void {
  const engine = tf.engine();
  if (hadOwnRunKernel && original !== null) {
    engine.runKernel = original;
  } else {
    delete (engine as Partial<Engine>).runKernel;
  }
  original = null;
}

function roundingRunKernel(this: Engine, kernelName: string, inputs: Inputs, attrs?: tf.NamedAttrMap): tf.Tensor | tf.Tensor[] {
  const run = original as RunKernel;
  const scope = stack[stack.length - 1];
  if (inside || scope === undefined || scope.dtype === null || kernelName === ROUND_KERNEL_NAME) {
    return run.call(this, kernelName, inputs, attrs);
  }
  const dtype = scope.dtype;
  const cast16 = (t: tf.Tensor): tf.Tensor => {
    inside = true;
    try {
      return cast(t, dtype);
    } finally {
      inside = false;
    }
  };
  const readIn = (t: tf.Tensor): tf.Tensor => {
    if (!(t instanceof tf.Tensor) || t.dtype !== 'float32' || dtypeOf(t) === dtype || notAutocast.has(t)) {
      return t;
    }
    let r = scope.rounded.get(t);
    if (r === undefined) {
      // Kept: a kernel inside a nested tidy (an RNN step) may read it first.
      r = tf.keep(cast16(t));
      scope.rounded.set(t, r);
    }
    return r;
  };
  const args = (Array.isArray(inputs) ? inputs.map(readIn) : mapValues(inputs, readIn)) as Inputs;
  const out = run.call(this, kernelName, args, attrs) as tf.Tensor | tf.Tensor[];
  const writeOut = (t: tf.Tensor): tf.Tensor => (t.dtype === 'float32' ? cast16(t) : t);
  return Array.isArray(out) ? out.map(writeOut) : writeOut(out);
}

function mapValues(inputs: Inputs, f: (t: tf.Tensor) => tf.Tensor): Inputs {
  const mapped: Record<string, tf.Tensor> = {};
  for (const key of Object.keys(inputs)) {
    mapped[key] = f(inputs[key] as tf.Tensor);
  }
  return mapped as Inputs;
}
