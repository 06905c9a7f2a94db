// A tiny WebAssembly SIMD module, assembled here byte by byte, that rounds
// float32 bit patterns to float16/bfloat16 four lanes at a time, in place in
// another module's memory (the wasm backend's heap, imported as env.memory).
// A JS loop over the heap costs several times a native add; this runs at
// about the speed of the add. bfloat16 uses round_bits.ts's integer rounding;
// float16 a magic-constant float rounding (see float16Function) that needs no
// separate subnormal branch.

/** Exports of the module: `(src, dst, bytes)`, bytes a multiple of SIMD_BLOCK_BYTES. */
export interface SimdRoundExports {
  float16(src: number, dst: number, bytes: number): void;
  bfloat16(src: number, dst: number, bytes: number): void;
}

// Opcodes (WebAssembly core spec; SIMD ones follow the 0xfd prefix).
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const LOCAL_TEE = 0x22;
const I32_CONST = 0x41;
const I32_ADD = 0x6a;
const I32_SUB = 0x6b;
const I32_EQZ = 0x45;
const BLOCK = 0x02;
const LOOP = 0x03;
const BR_IF = 0x0d;
const END = 0x0b;
const VOID = 0x40;
const V128 = 0x7b;
const I32 = 0x7f;

const SIMD = {
  load: 0x00,
  store: 0x0b,
  const: 0x0c,
  i32x4GtS: 0x3b,
  i32x4GeS: 0x3f,
  and: 0x4e,
  andnot: 0x4f,
  or: 0x50,
  bitselect: 0x52,
  i32x4ShrU: 0xad,
  i32x4Add: 0xae,
  i32x4MaxS: 0xb8,
  f32x4Add: 0xe4,
  f32x4Sub: 0xe5,
} as const;

function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    const byte = v & 0x7f;
    v >>>= 7;
    out.push(v !== 0 ? byte | 0x80 : byte);
  } while (v !== 0);
  return out;
}

function sleb(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) {
      return out;
    }
  }
}

function simd(op: number): number[] {
  return [0xfd, ...uleb(op)];
}

/** v128.const with the same 32-bit value in all four lanes. */
function splatConst(bits: number): number[] {
  const lane = [bits & 0xff, (bits >>> 8) & 0xff, (bits >>> 16) & 0xff, (bits >>> 24) & 0xff];
  return [...simd(SIMD.const), ...lane, ...lane, ...lane, ...lane];
}

const get = (i: number) => [LOCAL_GET, i];
const set = (i: number) => [LOCAL_SET, i];
const tee = (i: number) => [LOCAL_TEE, i];
// Alignment hint 2^0 (only a hint: any heap offset works), then the offset.
const memarg = (offset: number) => [0x00, ...uleb(offset)];

/** Vectors handled per loop iteration: unrolled to halve the loop overhead. */
export const SIMD_UNROLL = 2;
/** Bytes per loop iteration: `bytes` passed in must be a multiple. */
export const SIMD_BLOCK_BYTES = 16 * SIMD_UNROLL;

// Parameters: 0 src, 1 dst, 2 bytes. v128 locals follow.
const SRC = 0;
const DST = 1;
const BYTES = 2;

/**
 * A function body: set up constants, then loop over 16-byte blocks running
 * `lanes(offset)` for each unrolled vector (it leaves the rounded v128 on the
 * stack, to be stored at dst + offset).
 */
function loopBody(
  v128Locals: number,
  constants: Array<[number, number]>,
  lanes: (offset: number) => number[],
): number[] {
  const blocks: number[] = [];
  for (let k = 0; k < SIMD_UNROLL; k++) {
    blocks.push(...get(DST), ...lanes(16 * k), ...simd(SIMD.store), ...memarg(16 * k));
  }
  const code = [
    ...constants.flatMap(([local, bits]) => [...splatConst(bits), ...set(local)]),
    BLOCK, VOID,
    ...get(BYTES), I32_EQZ, BR_IF, 0,
    LOOP, VOID,
    ...blocks,
    ...get(SRC), I32_CONST, ...sleb(SIMD_BLOCK_BYTES), I32_ADD, ...set(SRC),
    ...get(DST), I32_CONST, ...sleb(SIMD_BLOCK_BYTES), I32_ADD, ...set(DST),
    ...get(BYTES), I32_CONST, ...sleb(SIMD_BLOCK_BYTES), I32_SUB, ...tee(BYTES),
    BR_IF, 0,
    END,
    END,
    END,
  ];
  const locals = [1, ...uleb(v128Locals), V128];
  const body = [...locals, ...code];
  return [...uleb(body.length), ...body];
}

function float16Function(): number[] {
  // One float32 add and subtract of a magic constant C = 2^(e + 13), e the
  // exponent of |x| clamped below at -14, round |x| to float16's quantum at
  // that exponent (2^(e - 10); 2^-24 for the subnormals), ties to even, in a
  // single rounding. C's bits come from |x|'s exponent field by integer ops.
  // v128 locals: 3 u, 4 a, then constants. EXP_INF is both the exponent
  // mask and the bits of +Inf.
  const [U, A, ABS, EXP_INF, MIN_EXP, C_OFFSET, OVERFLOW_M1] = [3, 4, 5, 6, 7, 8, 9];
  const [C, NAN_KEPT, NAN_LSB] = [10, 11, 12];
  const constants: Array<[number, number]> = [
    [ABS, 0x7fffffff],
    [EXP_INF, 0x7f800000],
    [MIN_EXP, 0x38800000], // 2^-14
    [C_OFFSET, 13 << 23],
    [OVERFLOW_M1, 0x477fefff], // just below 65520
    [NAN_KEPT, 0x7fffe000],
    [NAN_LSB, 0x2000],
  ];
  const lanes = (offset: number) => [
    ...get(SRC), ...simd(SIMD.load), ...memarg(offset), ...tee(U),
    ...get(ABS), ...simd(SIMD.and), ...set(A),
    // big = max_s(a & NAN_KEPT, INF | (a > INF ? NAN_LSB : 0)): Inf for
    // overflow; for a NaN its top 10 payload bits, kept non-zero (numpy).
    ...get(A), ...get(NAN_KEPT), ...simd(SIMD.and),
    ...get(A), ...get(EXP_INF), ...simd(SIMD.i32x4GtS), ...get(NAN_LSB), ...simd(SIMD.and),
    ...get(EXP_INF), ...simd(SIMD.or),
    ...simd(SIMD.i32x4MaxS),
    // rounded = (a + C) - C with C = max(a & EXP, 2^-14) * 2^13
    ...get(A),
    ...get(A), ...get(EXP_INF), ...simd(SIMD.and), ...get(MIN_EXP), ...simd(SIMD.i32x4MaxS),
    ...get(C_OFFSET), ...simd(SIMD.i32x4Add), ...tee(C),
    ...simd(SIMD.f32x4Add), ...get(C), ...simd(SIMD.f32x4Sub),
    // r = a >= 65520 ? big : rounded, then the sign of u.
    ...get(A), ...get(OVERFLOW_M1), ...simd(SIMD.i32x4GtS), ...simd(SIMD.bitselect),
    ...get(U), ...get(ABS), ...simd(SIMD.andnot), ...simd(SIMD.or),
  ];
  return loopBody(10, constants, lanes);
}

function bfloat16Function(): number[] {
  const [U, RND, ONE, MASK, INF, ABS, QUIET_NAN] = [3, 4, 5, 6, 7, 8, 9];
  const constants: Array<[number, number]> = [
    [RND, 0x7fff],
    [ONE, 1],
    [MASK, 0xffff0000],
    [INF, 0x7f800000],
    [ABS, 0x7fffffff],
    [QUIET_NAN, 0x7fc00000],
  ];
  const lanes = (offset: number) => [
    // NaN result (Eigen): the quiet NaN with u's sign.
    ...get(SRC), ...simd(SIMD.load), ...memarg(offset), ...tee(U),
    ...get(ABS), ...simd(SIMD.andnot), ...get(QUIET_NAN), ...simd(SIMD.or),
    // r = (u + 0x7fff + ((u >> 16) & 1)) & 0xffff0000
    ...get(U), ...get(RND), ...simd(SIMD.i32x4Add),
    ...get(U), I32_CONST, 16, ...simd(SIMD.i32x4ShrU), ...get(ONE), ...simd(SIMD.and),
    ...simd(SIMD.i32x4Add), ...get(MASK), ...simd(SIMD.and),
    // NaN must not round (a carry could make it Inf): select the NaN result there.
    ...get(U), ...get(ABS), ...simd(SIMD.and),
    ...get(INF), ...simd(SIMD.i32x4GtS), ...simd(SIMD.bitselect),
  ];
  return loopBody(7, constants, lanes);
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function name(text: string): number[] {
  const bytes = Array.from(text, (c) => c.charCodeAt(0));
  return [...uleb(bytes.length), ...bytes];
}

/**
 * The memory import's limits. A shared memory (tfjs's threaded wasm build)
 * only matches a shared import, which must declare a maximum: the largest
 * wasm32 memory, 65536 pages, accepts any.
 */
function memoryLimits(shared: boolean): number[] {
  return shared ? [0x03, 0x00, ...uleb(65536)] : [0x00, 0x00];
}

/** The module's bytes, importing a shared memory or not. */
export function simdRoundModuleBytes(shared = false): Uint8Array<ArrayBuffer> {
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 3, I32, I32, I32, 0]),
    // import env.memory, limits: min 0 pages (shared: maximum 65536)
    ...section(2, [1, ...name('env'), ...name('memory'), 0x02, ...memoryLimits(shared)]),
    ...section(3, [2, 0, 0]),
    ...section(7, [2, ...name('float16'), 0x00, 0, ...name('bfloat16'), 0x00, 1]),
    ...section(10, [2, ...float16Function(), ...bfloat16Function()]),
  ];
  return Uint8Array.from(bytes);
}

// One compiled module per kind of memory (null: the engine cannot run it).
const compiled = new Map<boolean, WebAssembly.Module | null>();

/** True when `memory` is shared (the threaded build's SharedArrayBuffer heap). */
export function isSharedMemory(memory: WebAssembly.Memory): boolean {
  return typeof SharedArrayBuffer === 'function' && memory.buffer instanceof SharedArrayBuffer;
}

/**
 * The module instantiated over `memory` (shared or not), or null where the
 * engine lacks WebAssembly SIMD (or threads, for a shared memory): callers
 * then use the JS loop.
 */
export function instantiateSimdRound(memory: WebAssembly.Memory): SimdRoundExports | null {
  const shared = isSharedMemory(memory);
  let module = compiled.get(shared);
  if (module === undefined) {
    const bytes = simdRoundModuleBytes(shared);
    // Synchronous compile is fine: the module is well under the 4 KB that
    // browsers allow on the main thread.
    module =
      typeof WebAssembly === 'object' && WebAssembly.validate(bytes)
        ? new WebAssembly.Module(bytes)
        : null;
    compiled.set(shared, module);
  }
  if (module === null) {
    return null;
  }
  const instance = new WebAssembly.Instance(module, {env: {memory}});
  return instance.exports as unknown as SimdRoundExports;
}
