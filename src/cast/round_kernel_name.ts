import {NarrowDtype} from './narrow_dtype';

/**
 * The tfjs kernel that rounds a float32 tensor to the values of a narrow
 * format. One name for both formats; the format is the `dtype` attribute.
 * Namespaced so it cannot collide with a tfjs kernel.
 */
export const ROUND_KERNEL_NAME = 'MixedPrecisionRound';

/** Attributes of the `MixedPrecisionRound` kernel. */
export interface RoundAttrs {
  dtype: NarrowDtype;
  // tfjs's NamedAttrMap requires an index signature.
  [key: string]: NarrowDtype;
}
