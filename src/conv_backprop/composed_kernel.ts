import * as tf from '@tensorflow/tfjs';

/** Arguments every kernelFunc receives. */
export interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs: tf.NamedAttrMap;
}

/**
 * A composed kernel body. It returns `null` when it cannot handle a case, and
 * the caller then runs the fallback.
 */
export type Composition = (args: KernelArgs, backendName: string) => tf.TensorInfo | null;

/** A composed kernel's float64-accumulating loop: it handles every case. */
export type LoopKernel = (args: KernelArgs, backendName: string) => tf.TensorInfo;

/**
 * Builds a `KernelConfig` that runs `compose`, and for a case it cannot
 * compose `original` (the kernel this one replaces, if the backend had one)
 * when the call has no dilation (the stock kernels ignore it), otherwise
 * `loop`.
 *
 * `original`'s `setupFunc`/`disposeFunc` are forwarded (a wasm kernel binds
 * its C++ entry point in `setupFunc`, and the engine only sets up kernels that
 * are in the registry) so it stays usable as the fallback.
 *
 * @example
 * const config = composedKernelConfig(
 *     'Conv2DBackpropFilter', 'wasm', composeConv2dFilterGrad, loopFallback, undefined);
 */
export function composedKernelConfig(
    kernelName: string, backendName: string, compose: Composition, loop: LoopKernel,
    original: tf.KernelConfig | undefined): tf.KernelConfig {
  const kernelFunc = (params: {inputs: tf.NamedTensorInfoMap, backend: {}, attrs?: tf.NamedAttrMap}) => {
    const args: KernelArgs = {
      inputs: params.inputs,
      backend: params.backend as tf.KernelBackend,
      attrs: params.attrs ?? {},
    };
    const composed = compose(args, backendName);
    if (composed != null) return composed;
    if (original != null && !isDilated(args.attrs['dilations'])) {
      return original.kernelFunc(args) as tf.TensorInfo;
    }
    return loop(args, backendName);
  };
  const config: tf.KernelConfig = {kernelName, backendName, kernelFunc};
  if (original?.setupFunc != null) config.setupFunc = original.setupFunc;
  if (original?.disposeFunc != null) config.disposeFunc = original.disposeFunc;
  return config;
}

/** Reads a 2-tuple-or-number attribute (`strides`, `dilations`) as a pair. */
export function pairOf(value: tf.NamedAttrMap[string] | undefined, name: string): [number, number] {
  if (value == null) return [1, 1];
  if (typeof value === 'number') return [value, value];
  if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'number' &&
      typeof value[1] === 'number') {
    return [value[0], value[1]];
  }
  throw new Error(`Attribute '${name}' must be a number or [number, number]; received ${JSON.stringify(value)}.`);
}

/** True when a `dilations` attribute (absent: 1) asks for a rate other than 1. */
export function isDilated(dilations: tf.NamedAttrMap[string] | undefined): boolean {
  return pairOf(dilations, 'dilations').some((d) => d !== 1);
}

/** A `pad` attribute as `computeConv2DInfo` takes it. */
export type PadAttr = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;

/** The `pad` attribute, with an explicit channels-first padding reordered to channels-last. */
export function channelsLastPad(pad: unknown, channelsFirst: boolean): PadAttr {
  if (!channelsFirst || !Array.isArray(pad)) return pad as PadAttr;
  const [n, c, h, w] = pad as tf.backend_util.ExplicitPadding;
  return [n, h, w, c] as tf.backend_util.ExplicitPadding;
}

/** True when every shape has at least one element. */
export function allNonEmpty(...shapes: number[][]): boolean {
  return shapes.every((shape) => shape.every((d) => d > 0));
}
