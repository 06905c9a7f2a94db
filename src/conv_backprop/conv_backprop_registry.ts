import * as tf from '@tensorflow/tfjs';

import {CONV_BACKPROP_TABLE, ConvBackpropEntry} from './conv_backprop_kernel_table';
import {conv2dGradConfig, depthwiseConv2dNativeGradConfig} from './dilated_conv_gradients';

/**
 * Tags our configs in the global kernel registry, so that a second copy of
 * this package (or a second call) recognises them instead of stacking them.
 */
const COMPOSED = Symbol.for('tfjs-mixed-precision/composed-conv-backprop');

interface ComposedConfig extends tf.KernelConfig {
  [COMPOSED]: {original: tf.KernelConfig | undefined};
}

function asComposed(config: tf.KernelConfig | undefined): ComposedConfig | undefined {
  return config != null && COMPOSED in config ? config as ComposedConfig : undefined;
}

/**
 * Where one row of the table stands:
 * - `'added'`: ours is registered; the backend had no such kernel.
 * - `'replaced'`: ours is registered; the backend's own is kept as its fallback.
 * - `'kept'`: the backend's own kernel is registered and left alone (a row in
 *   `'add'` mode whose backend has gained its own kernel).
 * - `'pending'`: ours is not registered yet. For a replacement this means the
 *   backend's kernels are not loaded yet (e.g. the wasm package is imported
 *   after this one): the replacement happens when that backend is set. Also
 *   every row after `restoreStockConvBackpropKernels`, until the next
 *   `registerConvBackpropKernels`.
 */
export type ConvBackpropStatus = 'added' | 'replaced' | 'kept' | 'pending';

/**
 * The gradients of Conv2D and DepthwiseConv2dNative are replaced by versions
 * that accept dilation rates > 1 (dilated_conv_gradients.ts); identical to
 * tfjs's otherwise. The replaced ones are kept here for restore.
 */
const DILATED_GRADIENTS = [conv2dGradConfig, depthwiseConv2dNativeGradConfig];
const stockGradients = new Map<string, tf.GradConfig | undefined>();

/** One kernel/backend pair and its status. */
export interface ConvBackpropRegistration {
  kernelName: string;
  backendName: string;
  status: ConvBackpropStatus;
}

/**
 * Registers the composed convolution backprop kernels (see
 * `CONV_BACKPROP_TABLE` for which, where and why) and dilation-aware
 * gradients for Conv2D and DepthwiseConv2dNative (tfjs's refuse dilation > 1;
 * these run the composed kernels on cpu and wasm and equal tfjs's otherwise),
 * and returns what is now registered. Idempotent and silent: a kernel is
 * replaced by unregistering it first, so tfjs prints no "already registered"
 * warning. Importing the package
 * calls it once; call it again only after `restoreStockConvBackpropKernels`.
 *
 * @example
 * import * as tf from '@tensorflow/tfjs';
 * import '@tensorflow/tfjs-backend-wasm';
 * import {registerConvBackpropKernels} from 'tfjs-mixed-precision';
 * console.table(registerConvBackpropKernels());
 * await tf.setBackend('wasm'); // model.fit of a convnet now works
 */
export function registerConvBackpropKernels(): ConvBackpropRegistration[] {
  for (const config of DILATED_GRADIENTS) {
    const current = tf.getGradient(config.kernelName);
    if (current === config) continue;
    if (!stockGradients.has(config.kernelName)) stockGradients.set(config.kernelName, current);
    tf.registerGradient(config);
  }
  return CONV_BACKPROP_TABLE.map((entry) => apply(entry, false, true));
}


/**
 * What is registered now, without changing anything: one row per entry of
 * `CONV_BACKPROP_TABLE`. A row that `registerConvBackpropKernels` would change
 * reads `'pending'`.
 *
 * @example
 * convBackpropRegistrations().filter((r) => r.status !== 'kept');
 */
export function convBackpropRegistrations(): ConvBackpropRegistration[] {
  return CONV_BACKPROP_TABLE.map((entry) => apply(entry, false, false));
}

/**
 * Puts back every kernel the backends had before `registerConvBackpropKernels`
 * (and removes the ones they lacked), and tfjs's own Conv2D and
 * DepthwiseConv2dNative gradients. For comparisons and benchmarks.
 *
 * @example
 * restoreStockConvBackpropKernels(); // tf.grad of a conv2d on wasm throws again
 * registerConvBackpropKernels();
 */
export function restoreStockConvBackpropKernels(): void {
  for (const [kernelName, config] of stockGradients) {
    if (config != null) tf.registerGradient(config); else tf.unregisterGradient(kernelName);
  }
  stockGradients.clear();
  for (const {kernelName, backendName} of CONV_BACKPROP_TABLE) {
    const ours = asComposed(tf.getKernel(kernelName, backendName));
    if (ours == null) continue;
    tf.unregisterKernel(kernelName, backendName);
    if (ours[COMPOSED].original != null) tf.registerKernel(ours[COMPOSED].original);
  }
}

/**
 * The backend's own kernel for `kernelName`, whether or not ours currently
 * replaces it (`undefined` if the backend has none). The tests' reference.
 *
 * @example
 * const stock = stockKernel('Conv2DBackpropFilter', 'cpu');
 */
export function stockKernel(kernelName: string, backendName: string): tf.KernelConfig | undefined {
  const current = tf.getKernel(kernelName, backendName);
  const ours = asComposed(current);
  return ours != null ? ours[COMPOSED].original : current;
}

/** True when the kernel registered for the pair is one of ours. */
export function isComposedKernel(kernelName: string, backendName: string): boolean {
  return asComposed(tf.getKernel(kernelName, backendName)) != null;
}

function apply(entry: ConvBackpropEntry, backendIsSetUp: boolean, change: boolean): ConvBackpropRegistration {
  const {kernelName, backendName, mode} = entry;
  const row = (status: ConvBackpropStatus) => ({kernelName, backendName, status});
  const current = tf.getKernel(kernelName, backendName);
  const ours = asComposed(current);
  if (ours != null) return row(ours[COMPOSED].original != null ? 'replaced' : 'added');
  if (current == null) {
    // Registering a 'replace' row now would only be overwritten (with a
    // warning) when the backend package registers its own kernel later.
    if (!change || (mode === 'replace' && !backendIsSetUp)) return row('pending');
    register(entry, undefined);
    return row('added');
  }
  if (mode === 'add') return row('kept');
  if (!change) return row('pending');
  tf.unregisterKernel(kernelName, backendName);
  register(entry, current);
  return row('replaced');
}

function register(entry: ConvBackpropEntry, original: tf.KernelConfig | undefined): void {
  const made = entry.make(entry.backendName, original);
  const config: ComposedConfig = {
    ...made,
    // The engine runs setupFunc when the backend is set, after every kernel
    // package has registered: the moment to finish the 'pending' rows.
    setupFunc: (backend: {}) => {
      made.setupFunc?.(backend);
      completePending(entry.backendName);
    },
    [COMPOSED]: {original},
  };
  tf.registerKernel(config);
}

function completePending(backendName: string): void {
  for (const entry of CONV_BACKPROP_TABLE) {
    if (entry.backendName === backendName) apply(entry, true, true);
  }
}
