/**
 * tfjs-mixed-precision: Keras-style mixed precision for TensorFlow.js.
 * This file is the whole public surface. Importing it registers the fused
 * rounding kernels, the composed convolution backprop kernels and the wasm
 * UnsortedSegmentSum kernel.
 */
import './conv_backprop/register_conv_backprop_kernels';
import './segment/register_segment_kernels';

export {DTYPES, FLOAT_DTYPES} from './dtypes';
export type {Dtype, FloatDtype, NonFloatDtype} from './dtypes';
export {dtypeOf} from './logical_dtype';
export {cast} from './cast/cast';
export {roundToBfloat16, roundToFloat16} from './cast/round_scalar';
export {Policy} from './policy/policy';
export type {PolicyConfig} from './policy/policy';
export {POLICY_NAMES} from './policy/policy_names';
export type {PolicyName} from './policy/policy_names';
export {globalPolicy, setGlobalPolicy, setPolicy, withPolicy} from './policy/global_policy';
export {deserializePolicy, serializePolicy} from './policy/policy_serialization';
export type {KerasPolicyObject, SerializedPolicy} from './policy/policy_serialization';
export {loadLayersModel} from './io/load_layers_model';
export {applyPolicy} from './models/apply_policy';
export type {PolicyOverrides} from './models/apply_policy';
export type {LoadLayersModelOptions} from './io/load_layers_model';
/**
 * IO handlers tfjs lacks without tfjs-node.
 *
 * @example
 * await model.save(mp.io.fileSystem('/tmp/my-model'));
 */
export * as io from './io';
export type {FileSystemOptions} from './io/file_system';
export {normalizeKerasTopology} from './keras_format/normalize_topology';
export {
  LOSS_SCALE_WEIGHT_NAMES,
  LossScaleOptimizer,
  isLossScaleOptimizer,
  lossScaleOptimizerFromKerasConfig,
} from './loss_scale/loss_scale_optimizer';
export {DEFAULT_LOSS_SCALE_OPTIONS} from './loss_scale/loss_scale_options';
export type {CheckedLossScaleOptions, LossScaleOptions} from './loss_scale/loss_scale_options';
export {adjustLossScale} from './loss_scale/loss_scale_rule';
export type {LossScaleRuleOptions, LossScaleState} from './loss_scale/loss_scale_rule';
export {LOSS_SCALE_LOG_KEY} from './loss_scale/loss_scale_logs';
export {optimizerFromKerasConfig} from './loss_scale/keras_optimizer_config';
// Importing it makes compile wrap a mixed_float16 model's optimizer (as Keras).
export {usesLossScaling} from './loss_scale/auto_loss_scale';
/**
 * Policy-aware layers: a drop-in replacement for every tfjs layer class
 * (`mp.layers.<name>` for each `tf.layers.<name>`), the `mp.layers.Layer`
 * base class for custom layers, and a `cast` layer.
 *
 * @example
 * const dense = mp.layers.dense({units: 10, dtype: 'mixed_float16'});
 */
export * as layers from '../layers';
export {input} from '../layers/input';
export type {InputArgs} from '../layers/input';
export {
  convBackpropRegistrations,
  registerConvBackpropKernels,
  restoreStockConvBackpropKernels,
} from './conv_backprop/conv_backprop_registry';
export type {ConvBackpropRegistration, ConvBackpropStatus} from './conv_backprop/conv_backprop_registry';
export {precisionAudit} from './audit/precision_audit';
export type {LayerAudit, PrecisionAudit, PrecisionAuditOptions} from './audit/precision_audit';
export {formatPrecisionAudit} from './audit/audit_table';
export {precisionAuditHtml, precisionAuditSvg} from './audit/audit_svg';
export {HALF_FORMAT_RANGES, HALF_FORMATS} from './audit/format_ranges';
export type {FormatRange, HalfFormat} from './audit/format_ranges';
export type {FormatStats, RangeStats} from './audit/range_tally';
export type {LayerVerdict, LossScaleRange, Verdict} from './audit/verdict';
export {AUDIT_LOSS_NAMES} from './audit/audit_loss';
export type {AuditLossFn, AuditLossName} from './audit/audit_loss';
