import * as tf from '@tensorflow/tfjs';

import {Dtype, checkDtype, isFloatDtype} from '../src/dtypes';
import {setLogicalDtype} from '../src/logical_dtype';

/** `tf.input`'s config, with `dtype` any dtype this package knows. */
export interface InputArgs extends Omit<Parameters<typeof tf.input>[0], 'dtype'> {
  /** 'float32' (default), 'float16', 'bfloat16', 'int32' or 'bool'. */
  dtype?: Dtype;
}

/**
 * A symbolic model input whose logical dtype may be float16 or bfloat16, as
 * Keras's `Input(shape, dtype='float16')`. Underneath it is a float32 tfjs
 * input (tfjs refuses to feed float32 data to any other dtype), so `predict`
 * and `fit` take ordinary float32 tensors; `mp.dtypeOf(input)` reports the
 * logical dtype, and `infer` policy layers applied to it compute in it.
 *
 * @example
 * const x = mp.input({shape: [100], dtype: 'float16'});
 * mp.dtypeOf(x); // 'float16'
 */
export function input(args: InputArgs): tf.SymbolicTensor {
  const dtype = args.dtype === undefined ? 'float32' : checkDtype('input: dtype', args.dtype);
  const symbolic = tf.input({...args, dtype: isFloatDtype(dtype) ? 'float32' : dtype});
  if (isFloatDtype(dtype)) {
    setLogicalDtype(symbolic, dtype);
  }
  return symbolic;
}
