import * as tf from '@tensorflow/tfjs';

import {cast} from '../src/cast/cast';
import {isNarrowDtype} from '../src/cast/narrow_dtype';
import {FloatDtype, isFloatDtype} from '../src/dtypes';
import {dtypeOf, setLogicalDtype} from '../src/logical_dtype';
import {Policy} from '../src/policy/policy';
import {STORAGE_DTYPE, policyConfigValue, resolveInferredPolicy, resolveLayerPolicy} from './layer_dtype_arg';
import {internals} from './layer_internals';
import {tagFloatOutputs} from './logical_outputs';
import {withKernelRounding} from './kernel_rounding';
import {CallFn, Numerics} from './layer_numerics';
import {LinearOp, float32Forward, narrowForward} from './narrow_forward';
import {storeNarrow} from './narrow_variable_storage';
import {StockCallGap} from './stock_call_gaps';
import {LayerClass, markWrapper} from './stock_layer_class';

type Inputs = Parameters<tf.layers.Layer['apply']>[0];
type Kwargs = Parameters<tf.layers.Layer['call']>[1];

/** What every policy layer adds to its tfjs base class. */
export interface PolicyAware {
  /** The layer's dtype policy (fixed at construction). */
  readonly policy: Policy;
  /**
   * The dtype the layer computes in: the policy's, or for the `infer`
   * policies the logical dtype of the first input it was applied to (null
   * until then).
   */
  readonly computeDtype: FloatDtype | null;
  /** The dtype its variables are stored as (null until inferred). */
  readonly variableDtype: FloatDtype | null;
}

/**
 * The class `policyLayer` returns: the stock layer's instance type plus
 * `PolicyAware`. Named (not an anonymous class type) so that declaration
 * files can describe the wrappers, whose stock bases have private members.
 */
// The mixin pattern requires an `any[]` constructor.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PolicyLayerClass<T extends tf.layers.Layer> = (new (...args: any[]) => T & PolicyAware) & {
  className: string;
  fromConfig: unknown;
};

/**
 * Makes a policy-aware subclass of a stock tfjs layer class. Shared by every
 * wrapper so that policy resolution, casting, variable storage, logical-dtype
 * tracking and serialization live in one place; a wrapper supplies only its
 * `linear` operation (null for layers that only activate).
 *
 * - dtype: the constructor reads `args.dtype` as a policy (`PolicyLike`) and
 *   hands tfjs `float32`, the only dtype its machinery understands.
 * - float32 compute: the stock `call` runs unchanged, fused kernels included,
 *   so a float32 policy gives exactly stock results; except where `stockGap`
 *   says tfjs's `call` is wrong for the layer's configuration: there our own
 *   forward pass runs, unrounded (the narrow path's function in float32).
 * - float16/bfloat16 compute: `narrowForward` with `linear`.
 * - integer and bool inputs are never cast, under any policy: they reach the
 *   tf op as they are, so an int32 input is accepted or refused exactly as
 *   stock tfjs does (Dense, Conv3D, Conv2DTranspose and value-keeping
 *   activations accept it, with its values exact; Conv1D, Conv2D,
 *   SeparableConv2D, DepthwiseConv2D and softmax refuse it with tfjs's
 *   "must be float32 tensor" error).
 * - `infer` policies: the compute dtype is taken from the logical dtype of the
 *   first input (symbolic in `apply`, or concrete) and kept, because inputs
 *   fed to a model at `fit`/`predict` time carry no logical dtype.
 * - outputs (concrete and symbolic) are tagged with the compute dtype, so that
 *   `dtypeOf` and the next `infer` layer see it.
 * - `getConfig` writes the policy under `dtype` so that the saved model.json
 *   holds the Keras 2 shape (see `policyConfigValue`; for an
 *   `infer` layer, once inferred, the policy it resolved to).
 */
export function policyLayer<T extends tf.layers.Layer>(
  Stock: LayerClass<T>,
  linear: LinearOp | null,
  stockGap: StockCallGap = () => false,
  numerics?: Numerics,
): PolicyLayerClass<T> {
  // A generic base cannot be extended directly (TS2509); the typed result
  // below restores the stock instance type.
  const Base = Stock as LayerClass;
  class PolicyLayer extends Base implements PolicyAware {
    declare readonly policy: Policy;

    // The mixin signature TypeScript requires; subclasses narrow it.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    constructor(...args: any[]) {
      const layerArgs = (args[0] ?? {}) as Record<string, unknown>;
      const policy = resolveLayerPolicy((new.target as {className?: string}).className ?? Base.className, layerArgs['dtype']);
      super({...layerArgs, dtype: STORAGE_DTYPE}, ...args.slice(1));
      this.policy = policy;
      // A subclass's own `call` (a user's layer; TimeDistributed and RNN call
      // `layer.call` directly) runs under the numerics too.
      const own = this.call;
      if (numerics !== undefined && own !== PolicyLayer.prototype.call) {
        this.call = (inputs, kwargs) => numericsCall(this, numerics, inputs, kwargs, own.bind(this));
      }
    }

    get computeDtype(): FloatDtype | null {
      const fixed = this.policy.computeDtype;
      return isFloatDtype(fixed) ? fixed : (inferredDtypes.get(this) ?? null);
    }

    get variableDtype(): FloatDtype | null {
      const fixed = this.policy.variableDtype;
      return isFloatDtype(fixed) ? fixed : this.computeDtype;
    }

    override apply(inputs: Inputs, kwargs?: Kwargs): ReturnType<tf.layers.Layer['apply']> {
      const wasInferred = inferredDtypes.has(this);
      resolveComputeDtype(this, firstOf(inputs));
      let outputs: ReturnType<tf.layers.Layer['apply']>;
      try {
        outputs = super.apply(inputs, kwargs);
      } catch (e) {
        // A failed first apply (a bad shape, say) must not fix the dtype.
        if (!wasInferred) {
          inferredDtypes.delete(this);
        }
        throw e;
      }
      const dtype = this.variableDtype;
      if (isNarrowDtype(dtype)) {
        // Also for subclasses whose `build` does not reach ours.
        for (const w of this.weights) {
          storeNarrow(w, dtype);
        }
      }
      tagFloatOutputs(outputs, numerics?.output === 'float32' ? 'float32' : (this.computeDtype ?? 'float32'));
      return outputs;
    }

    override build(inputShape: tf.Shape | tf.Shape[]): void {
      super.build(inputShape);
      const dtype = this.variableDtype;
      if (isNarrowDtype(dtype)) {
        for (const w of this.weights) {
          storeNarrow(w, dtype);
        }
      }
    }

    override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
      const input = firstOf(inputs);
      if (input === undefined) {
        return super.call(inputs, kwargs);
      }
      if (numerics !== undefined) {
        return numericsCall(this, numerics, inputs, kwargs, (i, k) => super.call(i, k));
      }
      const dtype = resolveComputeDtype(this, input);
      const narrow = isNarrowDtype(dtype);
      if (!narrow && !stockGap(internals(this))) {
        return withKernelRounding(null, () => super.call(inputs, kwargs));
      }
      return withKernelRounding(null, () => tf.tidy(() => {
        const y = narrow ? narrowForward(internals(this), input, dtype, linear) : float32Forward(internals(this), input, linear);
        // tfjs expects call to return a tensor of its own.
        const out = y === input ? tf.clone(y) : y;
        return out.dtype === 'float32' ? setLogicalDtype(out, dtype) : out;
      }));
    }

    // tfjs's Masking computes its mask outside any tidy, leaving a tensor.
    override computeMask(inputs: tf.Tensor | tf.Tensor[], mask?: tf.Tensor | tf.Tensor[]): tf.Tensor | tf.Tensor[] {
      const first = firstOf(inputs);
      if (!(first instanceof tf.Tensor)) {
        return super.computeMask(inputs, mask);
      }
      return tf.tidy(() => super.computeMask(inputs, mask));
    }

    // tfjs's CenterCrop, Resizing and CategoryEncoding overwrite the shape
    // they are given, which is their symbolic input's own shape: a model
    // around them then expects its input in the output's shape.
    override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
      const copy = Array.isArray(inputShape[0]) || inputShape[0] === undefined ? (inputShape as tf.Shape[]).map((s) => (Array.isArray(s) ? [...s] : s)) : [...(inputShape as tf.Shape)];
      return super.computeOutputShape(copy as tf.Shape | tf.Shape[]);
    }

    // Some stock fromConfig methods (StackedRNNCells) build the layer from a
    // few fields only, dropping `dtype` and `name`: both are restored.
    static override fromConfig(cls: unknown, config: tf.serialization.ConfigDict, ...rest: unknown[]): unknown {
      const layer = (Base.fromConfig as (...a: unknown[]) => PolicyAware)(cls, config, ...rest);
      const dtype = config['dtype'];
      // StackedRNNCells also drops its name.
      const name = config['name'];
      if (typeof name === 'string' && (layer as unknown as {name: string}).name !== name) {
        (layer as unknown as {name: string}).name = name;
      }
      if (dtype != null && (layer as {policy?: Policy}).policy !== undefined) {
        const policy = resolveLayerPolicy(String((cls as {className?: string}).className), dtype);
        if (policy.name !== layer.policy.name) {
          (layer as {policy: Policy}).policy = policy;
        }
      }
      return layer;
    }

    override getConfig(): tf.serialization.ConfigDict {
      const config = super.getConfig();
      // An `infer` layer that has seen its input saves the policy it resolved
      // to (as TF 1.14 did): a loaded model has no logical dtype on its fed
      // input to infer from, and must compute exactly as this one does.
      const inferred = inferredDtypes.get(this);
      const policy = inferred === undefined ? this.policy : resolveInferredPolicy(this.policy, inferred);
      config['dtype'] = policyConfigValue(policy);
      return config;
    }
  }
  markWrapper(PolicyLayer, Base);
  return PolicyLayer as unknown as PolicyLayerClass<T>;
}

// The dtype an `infer` layer fixed on first use. A WeakMap rather than a
// field: the class is an exported class expression, which may not carry
// private members in its declaration.
const inferredDtypes = new WeakMap<object, FloatDtype>();

/** The compute dtype for `input`, fixing it on first use under `infer`. */
function resolveComputeDtype(layer: PolicyAware, input: tf.Tensor | tf.SymbolicTensor | undefined): FloatDtype {
  const fixed = layer.computeDtype;
  if (fixed !== null) {
    return fixed;
  }
  const seen = input === undefined ? 'float32' : dtypeOf(input);
  const dtype = isFloatDtype(seen) ? seen : 'float32';
  inferredDtypes.set(layer, dtype);
  return dtype;
}

/**
 * A layer's `call` under its `Numerics`: float32 runs it untouched (bit for
 * bit the stock layer); float16/bfloat16 casts the inputs, runs it with every
 * kernel rounded or in float32 as the row says, and rounds the outputs.
 */
function numericsCall(
  layer: PolicyAware,
  numerics: Numerics,
  inputs: tf.Tensor | tf.Tensor[],
  kwargs: Kwargs,
  call: CallFn,
): tf.Tensor | tf.Tensor[] {
  const dtype = resolveComputeDtype(layer, firstOf(inputs));
  if (!isNarrowDtype(dtype)) {
    // tidy: several stock calls (ReLU with maxValue, ThresholdedReLU,
    // Masking) leave an intermediate behind; values are unchanged.
    return withKernelRounding(null, () => tf.tidy(() => call(inputs, kwargs)));
  }
  return tf.tidy(() => {
    const castIn = (x: tf.Tensor) => (numerics.castInputs && x.dtype === 'float32' ? cast(x, dtype) : x);
    const xs = Array.isArray(inputs) ? inputs.map(castIn) : castIn(inputs);
    const run = () => (numerics.call === undefined ? call(xs, kwargs) : numerics.call(call, xs, kwargs, dtype));
    const ys = withKernelRounding(numerics.everyKernel ? dtype : null, run);
    const given = new Set<tf.Tensor>(Array.isArray(inputs) ? inputs : [inputs]);
    const castOut = (y: tf.Tensor) => {
      if (y.dtype !== 'float32') {
        return given.has(y) ? tf.clone(y) : y;
      }
      if (numerics.output === 'float32') {
        return given.has(y) ? tf.clone(y) : y;
      }
      return dtypeOf(y) === dtype && !given.has(y) ? y : cast(y, dtype);
    };
    return Array.isArray(ys) ? ys.map(castOut) : castOut(ys);
  });
}

function firstOf<T>(inputs: T | T[]): T | undefined {
  return Array.isArray(inputs) ? inputs[0] : inputs;
}
