import * as tf from '@tensorflow/tfjs';

import {FloatDtype} from '../src/dtypes';
import {setLogicalDtype} from '../src/logical_dtype';

/**
 * Records `dtype` as the logical dtype of every float32 tensor among a layer's
 * outputs, concrete or symbolic (int32 and bool outputs are left alone), so
 * that `dtypeOf` and the next `infer` layer see the dtype the layer produced.
 *
 * @example
 * const outputs = super.apply(inputs, kwargs);
 * tagFloatOutputs(outputs, 'float16');
 */
export function tagFloatOutputs(outputs: ReturnType<tf.layers.Layer['apply']>, dtype: FloatDtype): void {
  for (const out of Array.isArray(outputs) ? outputs : [outputs]) {
    if (out.dtype === 'float32') {
      setLogicalDtype(out, dtype);
    }
  }
}
