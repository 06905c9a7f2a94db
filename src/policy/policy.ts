import {Dtype, describeValue, isFloatDtype} from '../dtypes';
import {
  POLICY_TABLE,
  PolicyName,
  isPolicyName,
  retiredPolicyReplacement,
  validPolicyNamesText,
} from './policy_names';

/**
 * The serialized form of a policy, as Keras writes it inside `config`.
 *
 * @example
 * const config: mp.PolicyConfig = new mp.Policy('mixed_float16').getConfig(); // {name: 'mixed_float16'}
 */
export interface PolicyConfig {
  name: PolicyName;
}

/**
 * An immutable dtype policy: the dtype a layer computes in and the dtype it
 * stores its variables in, as `tf.keras.mixed_precision.Policy`.
 *
 * - `float32`, `float16`, `bfloat16`: compute and store in that dtype.
 * - `mixed_float16`, `mixed_bfloat16`: compute in the narrow dtype, keep
 *   variables in float32 and cast them to the compute dtype when used.
 * - `int32`, `bool`: for non-floating layers; nothing is rounded.
 * - `infer`, `infer_float32_vars` (TF 1.14's experimental names): the compute
 *   dtype is the dtype of the layer's input; `infer_float32_vars` keeps its
 *   variables in float32.
 *
 * @example
 * const policy = new mp.Policy('mixed_float16');
 * policy.computeDtype;  // 'float16'
 * policy.variableDtype; // 'float32'
 */
export class Policy {
  static readonly className = 'Policy';

  readonly name: PolicyName;
  /** The dtype of the layer's computations; null when inferred from the input. */
  readonly computeDtype: Dtype | null;
  /** The dtype of the layer's variables; null when inferred from the input. */
  readonly variableDtype: Dtype | null;

  constructor(name: PolicyName) {
    this.name = checkPolicyName('name', name);
    const entry = POLICY_TABLE[this.name];
    this.computeDtype = entry.compute;
    this.variableDtype = entry.variable;
    Object.freeze(this);
  }

  /**
   * The experimental API's name: the dtype variables are created in when it
   * differs from the compute dtype (float32 for mixed and `infer_float32_vars`
   * policies), else null, meaning "the layer's own dtype".
   */
  get defaultVariableDtype(): Dtype | null {
    return this.shouldCastVariables ? this.variableDtype : null;
  }

  /** True when variables are stored in one dtype and cast to another in `call`. */
  get shouldCastVariables(): boolean {
    return this.variableDtype !== this.computeDtype;
  }

  /** True for policies whose compute dtype is float16 or bfloat16. */
  get isNarrow(): boolean {
    return this.computeDtype === 'float16' || this.computeDtype === 'bfloat16';
  }

  /** True when the compute dtype is floating or inferred (may be global). */
  get isFloating(): boolean {
    return this.computeDtype === null || isFloatDtype(this.computeDtype);
  }

  /** `{name}`, what Keras writes in a serialized policy's `config`. */
  getConfig(): PolicyConfig {
    return {name: this.name};
  }

  /** The policy `getConfig()` describes; `config` is not modified. */
  static fromConfig(config: PolicyConfig): Policy {
    if (config === null || typeof config !== 'object') {
      throw new Error(`Policy.fromConfig: config must be an object {name}; received ${describeValue(config)}.`);
    }
    return new Policy(checkPolicyName('Policy.fromConfig: config.name', config.name));
  }

  toString(): string {
    return `<Policy "${this.name}">`;
  }
}

/** Validates a policy name, with a migration hint for names TensorFlow retired. */
export function checkPolicyName(argName: string, name: unknown): PolicyName {
  if (isPolicyName(name)) {
    return name;
  }
  const replacement = retiredPolicyReplacement(name);
  if (replacement !== undefined) {
    throw new Error(
      `${argName}: the policy name '${name as string}' was removed from TensorFlow; ` +
        `use '${replacement}' instead.`,
    );
  }
  throw new Error(
    `${argName} must be a Policy or one of ${validPolicyNamesText()}; received ${describeValue(name)}.`,
  );
}

/** Accepts a `Policy` or a policy name and returns a `Policy`. */
export function toPolicy(argName: string, value: Policy | PolicyName | string): Policy {
  if (value instanceof Policy) {
    return value;
  }
  if (typeof value !== 'string') {
    throw new Error(
      `${argName} must be a Policy or one of ${validPolicyNamesText()}; received ${describeValue(value)}.`,
    );
  }
  return new Policy(checkPolicyName(argName, value));
}
