// The documented differences between the GPU backends and the cpu kernel,
// as one rule per (backend, dtype): the browser tests compute the full list
// of differing elements from it and require the page's list to equal it, so
// a value that differs without being documented fails, and so does a
// documented difference that no longer happens.
import type {NarrowDtype} from '../../src/cast/narrow_dtype';
import type {BrowserBackend} from './harness/browser_session';

const SIGN = 0x80000000;
const ABS = 0x7fffffff;
const MIN_NORMAL = 0x00800000;

/**
 * The bits `backend` returns for float32 input bits `input` where it is
 * documented to differ from the cpu kernel; null where it must agree.
 */
export type DifferenceRule = (input: number) => number | null;

/**
 * Today's composite of stock ops on webgl and webgpu: both flush float32
 * subnormal inputs to a signed zero in arithmetic, so bfloat16 of such an
 * input is the zero of its sign.
 */
const flushedSubnormalInput: DifferenceRule = (input) =>
  (input & ABS) !== 0 && (input & ABS) < MIN_NORMAL ? (input & SIGN) >>> 0 : null;

/** Signalling NaNs come out quiet (the composite's x * Inf quiets them). */
const quietedNaN: DifferenceRule = (input) =>
  (input & ABS) > 0x7f800000 && (input & 0x00400000) === 0 ? (input | 0x00400000) >>> 0 : null;

const RULES: Partial<Record<BrowserBackend, Record<NarrowDtype, DifferenceRule | null>>> = {
  webgl: {float16: quietedNaN, bfloat16: flushedSubnormalInput},
  webgpu: {float16: quietedNaN, bfloat16: flushedSubnormalInput},
};

/** The documented rule for `backend` and `dtype`, or null: bit-exact everywhere. */
export function differenceRule(backend: BrowserBackend, dtype: NarrowDtype): DifferenceRule | null {
  return RULES[backend]?.[dtype] ?? null;
}
