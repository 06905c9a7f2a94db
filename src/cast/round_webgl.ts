import * as tf from '@tensorflow/tfjs';

import {WebGLBackendView} from '../backend_views';
import {NarrowDtype} from './narrow_dtype';
import {roundComposite} from './round_composite';
import {RoundAttrs, ROUND_KERNEL_NAME} from './round_kernel_name';

// The rounding kernel for the `webgl` backend: one fragment shader pass on
// the float32 bit patterns (GLSL ES 3.00's floatBitsToUint/uintBitsToFloat),
// the integer rounding of round_bits.ts and the NaN rules of nan_rules.ts.
// WebGL 1 has no bit casts: there the composite of stock ops runs.

const FLOAT16_GLSL = `
  uint mpRound(uint u) {
    uint a = u & 0x7fffffffu;
    uint s = u & 0x80000000u;
    if (a > 0x7f800000u) {
      // NaN: numpy's float16 keeps the sign and the top 10 payload bits,
      // made non-zero so that it stays a NaN.
      uint kept = u & 0xffffe000u;
      return (kept & 0x7fffe000u) == 0x7f800000u ? (kept | 0x2000u) : kept;
    }
    if (a >= 0x477ff000u) {
      return s | 0x7f800000u; // >= 65520: signed infinity
    }
    if (a >= 0x38800000u) {
      return (u + 0xfffu + ((u >> 13) & 1u)) & 0xffffe000u; // normal: 10 mantissa bits, ties to even
    }
    uint e = a >> 23;
    if (e < 102u) {
      return s; // below 2^-25 (float32 subnormals too): signed zero
    }
    // Subnormal float16: the significand in units of 2^-24, ties to even.
    uint sig = (a & 0x7fffffu) | 0x800000u;
    uint drop = 126u - e;
    uint kept = sig >> drop;
    uint rest = sig & ((1u << drop) - 1u);
    uint halfway = 1u << (drop - 1u);
    uint units = kept + ((rest > halfway || (rest == halfway && (kept & 1u) == 1u)) ? 1u : 0u);
    return units == 0u ? s : (s | floatBitsToUint(float(units) * 5.9604644775390625e-8));
  }`;

const BFLOAT16_GLSL = `
  uint mpRound(uint u) {
    if ((u & 0x7fffffffu) > 0x7f800000u) {
      return (u & 0x80000000u) | 0x7fc00000u; // NaN: Eigen's quiet NaN, sign kept
    }
    return (u + 0x7fffu + ((u >> 16) & 1u)) & 0xffff0000u;
  }`;

/** The shader's user code for `dtype` (tfjs adds the header and getAAtOutCoords). */
export function roundWebGLUserCode(dtype: NarrowDtype): string {
  return `${dtype === 'float16' ? FLOAT16_GLSL : BFLOAT16_GLSL}
  void main() {
    setOutput(uintBitsToFloat(mpRound(floatBitsToUint(getAAtOutCoords()))));
  }`;
}

function roundWebGL({inputs, backend, attrs}: Parameters<tf.KernelFunc>[0]): tf.TensorInfo | tf.Tensor {
  const {dtype} = attrs as RoundAttrs;
  if (tf.env().getNumber('WEBGL_VERSION') !== 2) {
    // WebGL 1 (GLSL ES 1.00) cannot reach a float's bits.
    return roundComposite(inputs.x as tf.Tensor, dtype);
  }
  const x = inputs.x as tf.TensorInfo;
  const program = {
    variableNames: ['A'],
    outputShape: x.shape.slice(),
    userCode: roundWebGLUserCode(dtype),
    packedInputs: false,
    packedOutput: false,
  };
  return (backend as unknown as WebGLBackendView).runWebGLProgram(program, [x], 'float32');
}

/** The rounding kernel for the `webgl` backend (the composite on WebGL 1). */
export const roundWebGLConfig: tf.KernelConfig = {
  kernelName: ROUND_KERNEL_NAME,
  backendName: 'webgl',
  kernelFunc: roundWebGL as tf.KernelFunc,
};
