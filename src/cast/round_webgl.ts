import * as tf from '@tensorflow/tfjs';

import {WebGLBackendView} from '../backend_views';
import {NarrowDtype} from './narrow_dtype';
import {roundComposite} from './round_composite';
import {RoundAttrs, ROUND_KERNEL_NAME} from './round_kernel_name';

// The rounding kernel for the `webgl` backend: one fragment shader pass on
// the float32 bit patterns (GLSL ES 3.00's floatBitsToUint/uintBitsToFloat),
// the integer rounding of round_bits.ts and the NaN rules of nan_rules.ts,
// branch-free so that it runs on four packed values (uvec4) as well as on
// one. WebGL 1 has no bit casts: there the composite of stock ops runs.

/** Comparisons (0 or 1) and a select, for uint or uvec4. */
const HELPERS = {
  uint: `
  uint mpGe(uint a, uint b) { return a >= b ? 1u : 0u; }
  uint mpGt(uint a, uint b) { return a > b ? 1u : 0u; }
  uint mpEq(uint a, uint b) { return a == b ? 1u : 0u; }
  uint mpSel(uint f, uint t, uint c) { return c != 0u ? t : f; }`,
  uvec4: `
  uvec4 mpGe(uvec4 a, uvec4 b) { return uvec4(greaterThanEqual(a, b)); }
  uvec4 mpGt(uvec4 a, uvec4 b) { return uvec4(greaterThan(a, b)); }
  uvec4 mpEq(uvec4 a, uvec4 b) { return uvec4(equal(a, b)); }
  uvec4 mpSel(uvec4 f, uvec4 t, uvec4 c) { uvec4 m = 0u - c; return (t & m) | (f & ~m); }`,
};

function float16Glsl(T: 'uint' | 'uvec4', F: 'float' | 'vec4'): string {
  return `
  ${T} mpRound(${T} u) {
    ${T} a = u & 0x7fffffffu;
    ${T} s = u & 0x80000000u;
    // Normal float16 range: 10 mantissa bits, ties to even.
    ${T} normal = (u + 0xfffu + ((u >> 13u) & 1u)) & 0xffffe000u;
    // Subnormal range: the significand in units of 2^-24, ties to even
    // (drop 25 for anything below 2^-25 gives 0 units).
    ${T} e = a >> 23u;
    ${T} drop = min(126u - min(e, 112u), 25u);
    ${T} sig = (a & 0x7fffffu) | 0x800000u;
    ${T} kept = sig >> drop;
    ${T} rest = sig & ((${T}(1u) << drop) - 1u);
    ${T} halfway = ${T}(1u) << (drop - 1u);
    ${T} units = kept + (mpGt(rest, halfway) | (mpEq(rest, halfway) & kept & 1u));
    ${T} subnormal = s | floatBitsToUint(${F}(units) * 5.9604644775390625e-8);
    // NaN: numpy keeps the sign and the top 10 payload bits, made non-zero.
    ${T} nanKept = u & 0xffffe000u;
    ${T} nan = nanKept | (mpEq(nanKept & 0x7fffe000u, ${T}(0x7f800000u)) * 0x2000u);
    ${T} r = mpSel(subnormal, normal, mpGe(a, ${T}(0x38800000u)));
    r = mpSel(r, s | 0x7f800000u, mpGe(a, ${T}(0x477ff000u))); // >= 65520: signed infinity
    return mpSel(r, nan, mpGt(a, ${T}(0x7f800000u)));
  }`;
}

function bfloat16Glsl(T: 'uint' | 'uvec4'): string {
  return `
  ${T} mpRound(${T} u) {
    ${T} rounded = (u + 0x7fffu + ((u >> 16u) & 1u)) & 0xffff0000u;
    ${T} nan = (u & 0x80000000u) | 0x7fc00000u; // Eigen's quiet NaN, sign kept
    return mpSel(rounded, nan, mpGt(u & 0x7fffffffu, ${T}(0x7f800000u)));
  }`;
}

/**
 * The shader's user code for `dtype`, on one value per fragment or on four
 * (packed); tfjs adds the header and getAAtOutCoords.
 */
export function roundWebGLUserCode(dtype: NarrowDtype, packed: boolean): string {
  const [T, F] = packed ? (['uvec4', 'vec4'] as const) : (['uint', 'float'] as const);
  return `${HELPERS[T]}
  ${dtype === 'float16' ? float16Glsl(T, F) : bfloat16Glsl(T)}
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
  // Packed like tfjs's own unary ops: four values per fragment.
  const packed = tf.env().getBool('WEBGL_PACK_UNARY_OPERATIONS');
  const program = {
    variableNames: ['A'],
    outputShape: x.shape.slice(),
    userCode: roundWebGLUserCode(dtype, packed),
    packedInputs: packed,
    packedOutput: packed,
  };
  return (backend as unknown as WebGLBackendView).runWebGLProgram(program, [x], 'float32');
}

/** The rounding kernel for the `webgl` backend (the composite on WebGL 1). */
export const roundWebGLConfig: tf.KernelConfig = {
  kernelName: ROUND_KERNEL_NAME,
  backendName: 'webgl',
  kernelFunc: roundWebGL as tf.KernelFunc,
};
