import * as tf from '@tensorflow/tfjs';

import {WasmBackendView} from '../backend_views';

/** The x dtypes the kernel sums (those tfjs's cpu kernel sums). */
const SUMMABLE_DTYPES: readonly tf.DataType[] = ['float32', 'int32', 'bool'];

/** The heap view of `t` in its own dtype (the backend's API types every view as float32). */
function heapView(wasm: WasmBackendView, t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array {
  return wasm.typedArrayFromHeap(t) as Float32Array | Int32Array | Uint8Array;
}

function checkArguments(x: tf.TensorInfo, segmentIds: tf.TensorInfo, numSegments: unknown): void {
  if (!SUMMABLE_DTYPES.includes(x.dtype)) {
    throw new Error(
        `UnsortedSegmentSum on wasm: x has dtype '${x.dtype}'; valid dtypes are ` +
        `${SUMMABLE_DTYPES.map((d) => `'${d}'`).join(', ')}.`);
  }
  if (segmentIds.dtype !== 'int32') {
    throw new Error(`UnsortedSegmentSum on wasm: segmentIds has dtype '${segmentIds.dtype}'; it must be 'int32'.`);
  }
  const prefix = x.shape.slice(0, segmentIds.shape.length);
  if (segmentIds.shape.length > x.shape.length || segmentIds.shape.some((d, i) => d !== prefix[i])) {
    throw new Error(
        `UnsortedSegmentSum on wasm: segmentIds has shape [${segmentIds.shape}], which is not a prefix ` +
        `of x's shape [${x.shape}]; give one id per slice of x along its leading axes.`);
  }
  if (typeof numSegments !== 'number' || !Number.isInteger(numSegments) || numSegments < 0) {
    throw new Error(`UnsortedSegmentSum on wasm: numSegments is ${String(numSegments)}; it must be an integer >= 0.`);
  }
}

/**
 * `out[s, k]` = the sum of `x[n, k]` over the rows `n` (in ascending order)
 * whose id is `s`, with `x` seen as `[ids.length, inner]`. Bit-identical to
 * tfjs's cpu kernel, which computes `sum_n((ids[n] == s) * x[n, k])` for every
 * segment: each term rounded to float32, the sum accumulated in a JS number
 * (float64) from +0, rounded to float32 once. Rows with ids outside
 * `[0, numSegments)` add nothing; but a non-finite `x[n, k]` turns every other
 * segment's `[k]` into NaN there (0 * Inf is NaN): see `redoNonFinite`.
 */
function sumSegments(
    xs: ArrayLike<number>, ids: Int32Array, inner: number, numSegments: number, out: Float32Array): void {
  // float64 sums only for the segments that occur (at most one per row), so
  // that a large vocabulary costs no more than its float32 output.
  const slotOf = new Int32Array(numSegments).fill(-1);
  const segmentOf: number[] = [];
  for (let n = 0; n < ids.length; n++) {
    const id = ids[n]!;
    if (id >= 0 && id < numSegments && slotOf[id] === -1) {
      slotOf[id] = segmentOf.length;
      segmentOf.push(id);
    }
  }
  const acc = new Float64Array(segmentOf.length * inner);
  let nonFinite: Map<number, number[]> | undefined; // column -> its non-finite rows, ascending
  for (let n = 0; n < ids.length; n++) {
    const id = ids[n]!;
    const row = n * inner;
    const target = id >= 0 && id < numSegments ? slotOf[id]! * inner : -1;
    for (let k = 0; k < inner; k++) {
      const v = xs[row + k]!;
      if (v - v !== 0) {
        nonFinite ??= new Map();
        const rows = nonFinite.get(k);
        if (rows === undefined) nonFinite.set(k, [n]); else rows.push(n);
      } else if (target >= 0) {
        acc[target + k]! += Math.fround(v);
      }
    }
  }
  out.fill(0);
  segmentOf.forEach((s, slot) => out.set(acc.subarray(slot * inner, (slot + 1) * inner), s * inner));
  if (nonFinite !== undefined) redoNonFinite(xs, ids, inner, numSegments, segmentOf, nonFinite, out);
}

/**
 * Recomputes each column holding a non-finite value with the cpu kernel's own
 * arithmetic (`mask * x` stored as float32, added to a float64 sum in row
 * order), so that even the NaNs' sign and payload match. A segment's sum
 * needs only its own rows and the column's non-finite rows (every other term
 * is a zero, which changes no sum): segments that occur cost their rows plus
 * those; the rest share one value, the sum of `0 * x` over the non-finite rows.
 */
function redoNonFinite(
    xs: ArrayLike<number>, ids: Int32Array, inner: number, numSegments: number, segmentOf: readonly number[],
    nonFinite: ReadonlyMap<number, readonly number[]>, out: Float32Array): void {
  const rowsOf = new Map<number, number[]>(segmentOf.map((s) => [s, []]));
  ids.forEach((id, n) => rowsOf.get(id)?.push(n));
  const term = new Float32Array(1);
  for (const [k, badRows] of nonFinite) {
    let others = 0;
    for (const n of badRows) {
      term[0] = 0 * xs[n * inner + k]!;
      others += term[0];
    }
    for (let s = 0; s < numSegments; s++) out[s * inner + k] = others;
    for (const [s, own] of rowsOf) {
      let sum = 0;
      // Merge, in row order, the segment's rows (mask 1) and the other non-finite rows (mask 0).
      for (let i = 0, j = 0; i < own.length || j < badRows.length;) {
        const takeOwn = j >= badRows.length || (i < own.length && own[i]! <= badRows[j]!);
        const n = takeOwn ? own[i++]! : badRows[j++]!;
        if (!takeOwn && ids[n] === s) continue; // already among its own rows
        term[0] = (takeOwn ? 1 : 0) * xs[n * inner + k]!;
        sum += term[0];
      }
      out[s * inner + k] = sum;
    }
  }
}

function unsortedSegmentSumWasm({inputs, backend, attrs}: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const x = inputs['x'] as tf.TensorInfo;
  const segmentIds = inputs['segmentIds'] as tf.TensorInfo;
  const numSegments = (attrs as {numSegments?: unknown}).numSegments;
  checkArguments(x, segmentIds, numSegments);
  const rest = x.shape.slice(segmentIds.shape.length);
  const wasm = backend as unknown as WasmBackendView;
  // float32 for every x dtype, as tfjs's cpu kernel answers (its masks are float32).
  const out = wasm.makeOutput([numSegments as number, ...rest], 'float32');
  // Views only after makeOutput: growing the heap detaches older views.
  sumSegments(
      heapView(wasm, x), heapView(wasm, segmentIds) as Int32Array, tf.util.sizeFromShape(rest),
      numSegments as number, heapView(wasm, out) as Float32Array);
  return out;
}

/**
 * UnsortedSegmentSum for the `wasm` backend, which has none in tfjs 4.22:
 * the gradient of GatherV2, so of every Embedding layer. A JS loop over the
 * backend's heap, bit-identical to the cpu kernel (see `sumSegments`); the
 * output is float32 for float32, int32 and bool x alike, as on cpu (webgl
 * answers int32 for int32 x). `segmentIds` may have any rank whose shape
 * prefixes x's: output `[numSegments, ...x.shape.slice(segmentIds.rank)]`.
 *
 * @example
 * await tf.setBackend('wasm');
 * tf.unsortedSegmentSum(tf.tensor1d([1, 2, 3, 4]), tf.tensor1d([1, 2, 0, 1], 'int32'), 3).print(); // [3, 5, 2]
 */
export const unsortedSegmentSumWasmConfig: tf.KernelConfig = {
  kernelName: tf.UnsortedSegmentSum,
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSumWasm,
};
