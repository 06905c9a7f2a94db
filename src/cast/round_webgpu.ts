import * as tf from '@tensorflow/tfjs';

import {WebGPUBackendView, WebGPUProgramView} from '../backend_views';
import {NarrowDtype} from './narrow_dtype';
import {RoundAttrs, ROUND_KERNEL_NAME} from './round_kernel_name';

// The rounding kernel for the `webgpu` backend: one compute pass on the
// float32 bit patterns (WGSL's bitcast), the integer rounding of
// round_bits.ts and the NaN rules of nan_rules.ts.

const FLOAT16_WGSL = `
  fn mpRound(u : u32) -> u32 {
    let a = u & 0x7fffffffu;
    let s = u & 0x80000000u;
    if (a > 0x7f800000u) {
      // NaN: numpy's float16 keeps the sign and the top 10 payload bits,
      // made non-zero so that it stays a NaN.
      let kept = u & 0xffffe000u;
      return select(kept, kept | 0x2000u, (kept & 0x7fffe000u) == 0x7f800000u);
    }
    if (a >= 0x477ff000u) {
      return s | 0x7f800000u; // >= 65520: signed infinity
    }
    if (a >= 0x38800000u) {
      return (u + 0xfffu + ((u >> 13u) & 1u)) & 0xffffe000u; // normal: 10 mantissa bits, ties to even
    }
    let e = a >> 23u;
    if (e < 102u) {
      return s; // below 2^-25 (float32 subnormals too): signed zero
    }
    // Subnormal float16: the significand in units of 2^-24, ties to even.
    let sig = (a & 0x7fffffu) | 0x800000u;
    let drop = 126u - e;
    let kept = sig >> drop;
    let rest = sig & ((1u << drop) - 1u);
    let halfway = 1u << (drop - 1u);
    let up = rest > halfway || (rest == halfway && (kept & 1u) == 1u);
    let units = kept + select(0u, 1u, up);
    return select(s | bitcast<u32>(f32(units) * 5.9604644775390625e-8), s, units == 0u);
  }`;

const BFLOAT16_WGSL = `
  fn mpRound(u : u32) -> u32 {
    if ((u & 0x7fffffffu) > 0x7f800000u) {
      return (u & 0x80000000u) | 0x7fc00000u; // NaN: Eigen's quiet NaN, sign kept
    }
    return (u + 0x7fffu + ((u >> 16u) & 1u)) & 0xffff0000u;
  }`;

const WORKGROUP_SIZE = 128;

/** The compute program for `shape` and `dtype` (tfjs adds bindings and helpers). */
export function roundWebGPUProgram(shape: number[], dtype: NarrowDtype): WebGPUProgramView {
  const size = shape.reduce((a, b) => a * b, 1);
  return {
    variableNames: ['x'],
    outputShape: shape.slice(),
    shaderKey: `MixedPrecisionRound_${dtype}`,
    dispatchLayout: {x: shape.map((_, i) => i)},
    dispatch: [Math.ceil(size / WORKGROUP_SIZE), 1, 1],
    workgroupSize: [WORKGROUP_SIZE, 1, 1],
    size: true,
    getUserCode: () => `${dtype === 'float16' ? FLOAT16_WGSL : BFLOAT16_WGSL}
      fn main(index : i32) {
        if (index < uniforms.size) {
          setOutputAtIndex(index, bitcast<f32>(mpRound(bitcast<u32>(getXByOutputIndex(index)))));
        }
      }`,
  };
}

function roundWebGPU({inputs, backend, attrs}: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const x = inputs.x as tf.TensorInfo;
  const {dtype} = attrs as RoundAttrs;
  const program = roundWebGPUProgram(x.shape, dtype);
  return (backend as unknown as WebGPUBackendView).runWebGPUProgram(program, [x], 'float32');
}

/** The rounding kernel for the `webgpu` backend. */
export const roundWebGPUConfig: tf.KernelConfig = {
  kernelName: ROUND_KERNEL_NAME,
  backendName: 'webgpu',
  kernelFunc: roundWebGPU,
};
