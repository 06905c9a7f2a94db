import {Dtype} from '../dtypes';

/**
 * Every policy name, with the dtypes it stands for: the single source from
 * which the `PolicyName` type, the parser and the error messages are derived.
 * `null` means "inferred from the layer's input" (the experimental `infer`
 * policies of TF 1.14).
 */
export const POLICY_TABLE = {
  float32: {compute: 'float32', variable: 'float32'},
  float16: {compute: 'float16', variable: 'float16'},
  bfloat16: {compute: 'bfloat16', variable: 'bfloat16'},
  mixed_float16: {compute: 'float16', variable: 'float32'},
  mixed_bfloat16: {compute: 'bfloat16', variable: 'float32'},
  int32: {compute: 'int32', variable: 'int32'},
  bool: {compute: 'bool', variable: 'bool'},
  infer: {compute: null, variable: null},
  infer_float32_vars: {compute: null, variable: 'float32'},
} as const satisfies Record<string, {compute: Dtype | null; variable: Dtype | null}>;

/**
 * A valid policy name (a key of the policy table).
 *
 * @example
 * const name: mp.PolicyName = 'mixed_float16';
 * new mp.Policy(name);
 */
export type PolicyName = keyof typeof POLICY_TABLE;

/**
 * Every policy name, in the table's order (also the order error messages list them in).
 *
 * @example
 * mp.POLICY_NAMES.includes('mixed_bfloat16'); // true
 */
export const POLICY_NAMES = Object.keys(POLICY_TABLE) as PolicyName[];

/** Names TensorFlow once accepted and later removed, with what to use now. */
export const RETIRED_POLICY_NAMES: Readonly<Record<string, PolicyName>> = {
  infer_with_float32_vars: 'infer_float32_vars',
  float16_with_float32_vars: 'mixed_float16',
  bfloat16_with_float32_vars: 'mixed_bfloat16',
};

export function isPolicyName(name: unknown): name is PolicyName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(POLICY_TABLE, name);
}

/**
 * The name that replaced a retired policy name, or undefined. Own keys only:
 * '__proto__', 'toString' or 'constructor' are not retired names.
 */
export function retiredPolicyReplacement(name: unknown): PolicyName | undefined {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(RETIRED_POLICY_NAMES, name)
    ? RETIRED_POLICY_NAMES[name]
    : undefined;
}

export function validPolicyNamesText(): string {
  return POLICY_NAMES.map((n) => `'${n}'`).join(', ');
}
