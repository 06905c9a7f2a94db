// Where a browser backend is documented to differ from the cpu kernel, as
// one rule per (configuration, dtype). The browser tests compute the full
// list of differing elements from the rule and require the page's list to
// equal it: a value that differs without being documented fails, and so
// does a documented difference that no longer happens.
//
// The webgl (WebGL 2) and webgpu kernels differ nowhere on SwiftShader: no
// rule. WebGL 1 cannot reach a float's bits, so there the composite of stock
// ops runs, and SwiftShader's arithmetic flushes float32 subnormals.
import type {NarrowDtype} from '../../src/cast/narrow_dtype';

const SIGN = 0x80000000;
const ABS = 0x7fffffff;
const INF = 0x7f800000;
const MIN_NORMAL = 0x00800000;

/** The bits returned for input bits `input` where documented to differ; null where it must agree. */
export type DifferenceRule = (input: number) => number | null;

const isNaN = (input: number) => (input & ABS) > INF;

/**
 * The composite's float16 NaN: x * Infinity, the input quieted with its
 * payload whole (arithmetic cannot truncate a payload as numpy does).
 */
const quietedNaN: DifferenceRule = (input) => (isNaN(input) ? (input | 0x00400000) >>> 0 : null);

/**
 * The composite's bfloat16: a float32 subnormal input is flushed to the zero
 * of its sign by the GPU's arithmetic before it is rounded (bfloat16 keeps
 * float32's subnormals, so the cpu kernel gives a subnormal or 2^-126); a
 * NaN passes through unchanged (tf.where), not as Eigen's quiet NaN.
 */
const flushedSubnormalOrNaN: DifferenceRule = (input) => {
  if (isNaN(input)) {
    return input;
  }
  const magnitude = input & ABS;
  return magnitude !== 0 && magnitude < MIN_NORMAL ? (input & SIGN) >>> 0 : null;
};

/** A browser configuration of the tests: a backend and the tfjs flags set before it starts. */
export interface BrowserConfig {
  name: string;
  backend: 'cpu' | 'wasm' | 'webgl' | 'webgpu';
  flags?: Record<string, number | boolean>;
  rules?: Partial<Record<NarrowDtype, DifferenceRule>>;
  /** Random patterns per test (default 1M; fewer where the run is slow). */
  randomCount?: number;
}

export const BROWSER_CONFIGS: readonly BrowserConfig[] = [
  {name: 'cpu', backend: 'cpu'},
  {name: 'wasm', backend: 'wasm'},
  {name: 'webgl', backend: 'webgl'},
  // The kernel's one-value-per-fragment shader (tfjs's own ops use it when
  // WEBGL_PACK_UNARY_OPERATIONS is off); the default above is packed (uvec4).
  {name: 'webgl, unpacked', backend: 'webgl', flags: {WEBGL_PACK_UNARY_OPERATIONS: false}, randomCount: 1 << 18},
  {name: 'webgpu', backend: 'webgpu'},
  {
    name: 'webgl on WebGL 1 (composite)',
    backend: 'webgl',
    flags: {WEBGL_VERSION: 1},
    rules: {float16: quietedNaN, bfloat16: flushedSubnormalOrNaN},
    randomCount: 1 << 18, // the composite is about 5x slower than the kernel
  },
];
