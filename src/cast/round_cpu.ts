import * as tf from '@tensorflow/tfjs';

import {CpuBackendView} from '../backend_views';
import {roundBits} from './round_bits';
import {RoundAttrs, ROUND_KERNEL_NAME} from './round_kernel_name';

function roundCpu({inputs, backend, attrs}: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const x = inputs.x as tf.TensorInfo;
  const {dtype} = attrs as RoundAttrs;
  const cpu = backend as unknown as CpuBackendView;
  const stored = cpu.data.get(x.dataId).values as Float32Array | Int32Array | Uint8Array;
  // tfjs's cpu Cast relabels int32/bool data as float32 without converting
  // it (no precision is lost), so a float32 tensor may hold an Int32Array or
  // a Uint8Array: read those by value, never by bit pattern.
  const values = stored instanceof Float32Array ? stored : Float32Array.from(stored);
  const src = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Float32Array(values.length);
  roundBits(dtype, src, new Uint32Array(out.buffer), out);
  return cpu.makeTensorInfo(x.shape, 'float32', out);
}

/**
 * The fused single-pass rounding kernel for the pure-JS `cpu` backend: one
 * read and one write per element.
 */
export const roundCpuConfig: tf.KernelConfig = {
  kernelName: ROUND_KERNEL_NAME,
  backendName: 'cpu',
  kernelFunc: roundCpu,
};
