import * as tf from '@tensorflow/tfjs';

import {Dtype, checkDtype, isFloatDtype} from '../src/dtypes';
import {setLogicalDtype} from '../src/logical_dtype';

/** `tf.layers.inputLayer`'s args, with `dtype` any dtype this package knows. */
export interface InputLayerArgs extends Omit<Parameters<typeof tf.layers.inputLayer>[0], 'dtype'> {
  /** 'float32' (default), 'float16', 'bfloat16', 'int32' or 'bool'. */
  dtype?: Dtype;
}

/**
 * The first layer of a `tf.sequential` model whose input has a logical dtype,
 * as Keras's `Sequential([Input((100,), dtype='float16'), ...])`. It is a
 * stock float32 tfjs InputLayer (fed float32 data; saved as float32) whose
 * symbolic output is tagged with `dtype`, so `infer` policy layers after it
 * compute in that dtype. For functional models use `mp.input`.
 *
 * @example
 * const model = tf.sequential({layers: [
 *   mp.layers.inputLayer({inputShape: [100], dtype: 'float16'}),
 *   mp.layers.dense({units: 10, dtype: 'infer_float32_vars'}),
 * ]});
 */
export function inputLayer(args: InputLayerArgs): tf.layers.Layer {
  const dtype = args.dtype === undefined ? 'float32' : checkDtype('inputLayer: dtype', args.dtype);
  const layer = tf.layers.inputLayer({...args, dtype: isFloatDtype(dtype) ? 'float32' : dtype});
  const output = layer.inboundNodes[0]?.outputTensors[0];
  if (output !== undefined && isFloatDtype(dtype)) {
    setLogicalDtype(output, dtype);
  }
  return layer;
}
