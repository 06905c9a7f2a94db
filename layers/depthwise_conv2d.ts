import * as tf from '@tensorflow/tfjs';

// A dilated layer trains through the dilation-aware depthwise gradients
// (cpu and wasm), which this registers.
import '../src/conv_backprop/register_conv_backprop_kernels';

import {PolicyLayerArgs} from './layer_dtype_arg';
import {policyLayer} from './policy_layer';
import {registerLayerClass, stockLayerClass} from './stock_layer_class';
import {depthwiseConv2dLinear, pair} from './conv_linear';
import {internals} from './layer_internals';
import {dilatedGap} from './stock_call_gaps';

type StockDepthwiseConv2D = ReturnType<typeof tf.layers.depthwiseConv2d>;
/** The args of `tf.layers.depthwiseConv2d`, with `dtype` a policy. */
export type DepthwiseConv2DArgs = PolicyLayerArgs<Parameters<typeof tf.layers.depthwiseConv2d>[0]>;

/**
 * `tf.layers.depthwiseConv2d` under a dtype policy: float32 variables for mixed
 * policies, computing in the policy's compute dtype.
 *
 * @example
 * const layer = new mp.layers.DepthwiseConv2D({kernelSize: 3, depthMultiplier: 2, dtype: 'mixed_float16'});
 * layer.policy.variableDtype; // 'float32'
 *
 * Unlike stock tfjs, `dilationRate` is honoured, as in Keras, under every
 * policy (a 3x3 kernel at rate 2 maps 7x7 to 3x3), forward and in gradients
 * on the cpu and wasm backends.
 */
export class DepthwiseConv2D extends policyLayer(stockLayerClass<StockDepthwiseConv2D>('DepthwiseConv2D'), depthwiseConv2dLinear, dilatedGap) {
  static override className = 'DepthwiseConv2D';
  constructor(args: DepthwiseConv2DArgs) {
    super(args);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    const shape = super.computeOutputShape(inputShape) as tf.Shape;
    const layer = internals(this);
    if (!dilatedGap(layer)) {
      return shape;
    }
    // tfjs's rule ignores dilation: recompute the spatial sizes with the
    // dilated kernel's extent, (k - 1) * d + 1.
    const input = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const first = layer.dataFormat === 'channelsFirst' ? 2 : 1;
    const kernel = pair(layer.kernelSize);
    const strides = pair(layer.strides);
    const dilation = pair(layer.dilationRate);
    const out = [...shape];
    for (const i of [0, 1] as const) {
      out[first + i] = dilatedLength(input[first + i], (kernel[i] - 1) * dilation[i] + 1, layer.padding, strides[i]);
    }
    return out;
  }
}

function dilatedLength(size: number | null | undefined, extent: number, padding: string | undefined, stride: number): number | null {
  if (size == null) {
    return null;
  }
  const covered = padding === 'same' ? size : size - extent + 1;
  return Math.ceil(covered / stride);
}
registerLayerClass(DepthwiseConv2D);

/**
 * A policy-aware `tf.layers.depthwiseConv2d`.
 *
 * @example
 * const layer = mp.layers.depthwiseConv2d({kernelSize: 3, depthMultiplier: 2, dtype: 'mixed_float16'});
 */
export function depthwiseConv2d(args: DepthwiseConv2DArgs): DepthwiseConv2D {
  return new DepthwiseConv2D(args);
}
