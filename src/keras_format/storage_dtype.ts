import {describeValue} from '../dtypes';
import {deserializePolicy} from '../policy/policy_serialization';
import {Json} from './json';

/** The dtypes tfjs can store a tensor in (and so accepts as a layer's dtype). */
export type StorageDtype = 'float32' | 'int32' | 'bool' | 'string';

// Keras dtype names tfjs cannot hold, with the storage dtype that carries
// their values: every float as float32, every integer as int32.
const KERAS_DTYPE_STORAGE: Readonly<Record<string, StorageDtype>> = {
  float16: 'float32',
  half: 'float32',
  bfloat16: 'float32',
  float32: 'float32',
  float: 'float32',
  float64: 'float32',
  double: 'float32',
  int8: 'int32',
  int16: 'int32',
  int32: 'int32',
  int64: 'int32',
  uint8: 'int32',
  uint16: 'int32',
  uint32: 'int32',
  uint64: 'int32',
  bool: 'bool',
  string: 'string',
};

/** The storage dtype for a Keras dtype name, or undefined if it has none. */
export function storageDtypeOfName(name: string): StorageDtype | undefined {
  return Object.prototype.hasOwnProperty.call(KERAS_DTYPE_STORAGE, name) ? KERAS_DTYPE_STORAGE[name] : undefined;
}

/**
 * The plain dtype string a stock tfjs layer can use for a Keras `dtype` field:
 * a dtype name, or the compute dtype of any policy shape `deserializePolicy`
 * reads (floating and inferred policies store float32). `where` names the
 * layer in errors.
 */
export function storageDtype(field: Json | undefined, where: string): StorageDtype | null {
  if (field === null || field === undefined) {
    return null;
  }
  if (typeof field === 'string') {
    const direct = storageDtypeOfName(field);
    if (direct !== undefined) {
      return direct;
    }
  }
  let compute: string | null;
  try {
    compute = deserializePolicy(field)?.computeDtype ?? null;
  } catch (e) {
    throw new Error(
      `${where}: cannot read its dtype ${describeValue(field)}: ${(e as Error).message} ` +
        `Valid dtypes are policies and the names ${Object.keys(KERAS_DTYPE_STORAGE).map((n) => `'${n}'`).join(', ')}.`,
    );
  }
  return compute === null ? 'float32' : (storageDtypeOfName(compute) ?? 'float32');
}
