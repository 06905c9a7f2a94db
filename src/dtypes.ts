/**
 * The dtype names this package understands, in one table. `float16` and
 * `bfloat16` are logical: tfjs stores them as float32 tensors holding only
 * values the narrow format can represent (see `cast`).
 *
 * @example
 * mp.FLOAT_DTYPES.includes('bfloat16'); // true
 */
export const FLOAT_DTYPES = ['float32', 'float16', 'bfloat16'] as const;
/** The tfjs dtypes `cast` passes through untouched when the target is floating. */
export const NON_FLOAT_DTYPES = ['int32', 'bool'] as const;
/**
 * Every dtype `cast` and `mp.input` accept: the floating ones, then int32 and bool.
 *
 * @example
 * mp.DTYPES; // ['float32', 'float16', 'bfloat16', 'int32', 'bool']
 */
export const DTYPES = [...FLOAT_DTYPES, ...NON_FLOAT_DTYPES] as const;

/**
 * A floating dtype: stored as float32, rounded to its own format.
 *
 * @example
 * const d: mp.FloatDtype = 'bfloat16';
 */
export type FloatDtype = (typeof FLOAT_DTYPES)[number];
/**
 * A dtype tfjs has natively and that is never rounded.
 *
 * @example
 * const d: mp.NonFloatDtype = 'int32';
 */
export type NonFloatDtype = (typeof NON_FLOAT_DTYPES)[number];
/**
 * Any dtype this package understands (one of `DTYPES`).
 *
 * @example
 * const d: mp.Dtype = 'float16';
 * mp.cast(tf.tensor([1.1]), d);
 */
export type Dtype = FloatDtype | NonFloatDtype;

export function isFloatDtype(dtype: unknown): dtype is FloatDtype {
  return (FLOAT_DTYPES as readonly unknown[]).includes(dtype);
}

export function isDtype(dtype: unknown): dtype is Dtype {
  return (DTYPES as readonly unknown[]).includes(dtype);
}

/** Validates a dtype argument, naming the argument and the valid choices. */
export function checkDtype(argName: string, value: unknown): Dtype {
  if (isDtype(value)) {
    return value;
  }
  throw new Error(
    `${argName} must be one of ${DTYPES.map((d) => `'${d}'`).join(', ')}; ` +
      `received ${describeValue(value)}.`,
  );
}

// Longer renderings are cut: a message should show the value, not bury it.
const MAX_DESCRIPTION = 200;

/**
 * A short, unambiguous rendering of a bad argument for error messages:
 * strings quoted, plain objects and arrays as JSON, class instances and
 * functions by kind (a tensor by dtype and shape) rather than by their
 * internals or source text.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    return truncate(`'${value}'`);
  }
  if (typeof value === 'function') {
    return value.name ? `a function (${value.name})` : 'a function';
  }
  if (value === null || value === undefined || typeof value !== 'object') {
    return String(value);
  }
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto !== null && proto !== Object.prototype && !Array.isArray(value)) {
    const v = value as {dtype?: unknown; shape?: unknown};
    if (typeof v.dtype === 'string' && Array.isArray(v.shape)) {
      return `a tensor of dtype '${v.dtype}' and shape ${JSON.stringify(v.shape)}`;
    }
    const name = (proto as {constructor?: {name?: string}}).constructor?.name;
    return name ? `a ${name} object` : Object.prototype.toString.call(value);
  }
  try {
    return truncate(JSON.stringify(value));
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function truncate(text: string): string {
  return text.length <= MAX_DESCRIPTION ? text : `${text.slice(0, MAX_DESCRIPTION - 3)}...`;
}
