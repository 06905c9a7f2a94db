import * as tf from '@tensorflow/tfjs';

import {WebGPUBackendView, WebGPUProgramView} from '../backend_views';
import {NarrowDtype} from './narrow_dtype';
import {RoundAttrs, ROUND_KERNEL_NAME} from './round_kernel_name';

// The rounding kernel for the `webgpu` backend: one compute pass on the
// float32 bit patterns (WGSL's bitcast), the integer rounding of
// round_bits.ts and the NaN rules of nan_rules.ts, branch-free (select) so
// that it runs on vec4s, four values per invocation, when the size allows.

interface WgslTypes {
  /** The unsigned, float and bool types: scalars or vec4s. */
  T: string;
  F: string;
}

function float16Wgsl({T, F}: WgslTypes): string {
  return `
  fn mpRound(u : ${T}) -> ${T} {
    let a = u & ${T}(0x7fffffffu);
    let s = u & ${T}(0x80000000u);
    // Normal float16 range: 10 mantissa bits, ties to even.
    let normal = (u + ${T}(0xfffu) + ((u >> ${T}(13u)) & ${T}(1u))) & ${T}(0xffffe000u);
    // Subnormal range: the significand in units of 2^-24, ties to even
    // (drop 25 for anything below 2^-25 gives 0 units).
    let e = a >> ${T}(23u);
    let drop = min(${T}(126u) - min(e, ${T}(112u)), ${T}(25u));
    let sig = (a & ${T}(0x7fffffu)) | ${T}(0x800000u);
    let kept = sig >> drop;
    let rest = sig & ((${T}(1u) << drop) - ${T}(1u));
    let halfway = ${T}(1u) << (drop - ${T}(1u));
    let up = (rest > halfway) | ((rest == halfway) & ((kept & ${T}(1u)) == ${T}(1u)));
    let units = kept + select(${T}(0u), ${T}(1u), up);
    let subnormal = s | bitcast<${T}>(${F}(units) * 5.9604644775390625e-8);
    // NaN: numpy keeps the sign and the top 10 payload bits, made non-zero.
    let nanKept = u & ${T}(0xffffe000u);
    let nan = select(nanKept, nanKept | ${T}(0x2000u), (nanKept & ${T}(0x7fffe000u)) == ${T}(0x7f800000u));
    var r = select(subnormal, normal, a >= ${T}(0x38800000u));
    r = select(r, s | ${T}(0x7f800000u), a >= ${T}(0x477ff000u)); // >= 65520: signed infinity
    return select(r, nan, a > ${T}(0x7f800000u));
  }`;
}

function bfloat16Wgsl({T}: WgslTypes): string {
  return `
  fn mpRound(u : ${T}) -> ${T} {
    let rounded = (u + ${T}(0x7fffu) + ((u >> ${T}(16u)) & ${T}(1u))) & ${T}(0xffff0000u);
    let nan = (u & ${T}(0x80000000u)) | ${T}(0x7fc00000u); // Eigen's quiet NaN, sign kept
    return select(rounded, nan, (u & ${T}(0x7fffffffu)) > ${T}(0x7f800000u));
  }`;
}

const WORKGROUP_SIZE = 128;

/** The compute program for `shape` and `dtype` (tfjs adds bindings and helpers). */
export function roundWebGPUProgram(shape: number[], dtype: NarrowDtype): WebGPUProgramView {
  const size = shape.reduce((a, b) => a * b, 1);
  // Four values per invocation when they fill whole vec4s.
  const components = size % 4 === 0 ? 4 : 1;
  const types: WgslTypes = components === 4 ? {T: 'vec4<u32>', F: 'vec4<f32>'} : {T: 'u32', F: 'f32'};
  return {
    variableNames: ['x'],
    outputShape: shape.slice(),
    shaderKey: `MixedPrecisionRound_${dtype}_${components}`,
    dispatchLayout: {x: shape.map((_, i) => i)},
    dispatch: [Math.ceil(size / components / WORKGROUP_SIZE), 1, 1],
    workgroupSize: [WORKGROUP_SIZE, 1, 1],
    outputComponent: components,
    variableComponents: [components],
    size: true,
    getUserCode: () => `${dtype === 'float16' ? float16Wgsl(types) : bfloat16Wgsl(types)}
      fn main(index : i32) {
        if (index < uniforms.size) {
          setOutputAtIndex(index, bitcast<${types.F}>(mpRound(bitcast<${types.T}>(getXByOutputIndex(index)))));
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
