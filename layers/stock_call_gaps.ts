import {LayerInternals} from './layer_internals';

/**
 * Says whether stock tfjs's `call` computes the wrong function for a layer's
 * configuration. There the float32 policy runs our own forward pass (the
 * narrow path's ops without rounding) instead of deferring to tfjs, so that
 * switching the policy never changes an output's shape, whether the layer
 * works, or (beyond rounding) its values.
 */
export type StockCallGap = (layer: LayerInternals) => boolean;

/**
 * Channels-first Conv1D and SeparableConv2D: tfjs 4.22's Conv1D returns
 * channels-last outputs ([N, steps, filters], against its own
 * computeOutputShape and Keras's [N, filters, steps]); SeparableConv2D adds
 * its bias along the wrong axis of a channels-last intermediate ("Operands
 * could not be broadcast", or wrong values when the sizes happen to match).
 *
 * @example
 * policyLayer(StockConv1D, conv1dLinear, channelsFirstGap);
 */
export const channelsFirstGap: StockCallGap = (layer) => layer.dataFormat === 'channelsFirst';

/**
 * A dilated DepthwiseConv2D: tfjs 4.22's call passes no dilation to
 * tf.depthwiseConv2d and its computeOutputShape ignores it, so a Keras
 * model's `dilation_rate: 2` silently computes an undilated layer.
 *
 * @example
 * dilatedGap({dilationRate: [2, 2]} as LayerInternals); // true
 */
export const dilatedGap: StockCallGap = (layer) => {
  const rate = layer.dilationRate;
  return Array.isArray(rate) ? rate.some((d) => d !== 1) : rate !== undefined && rate !== 1;
};
