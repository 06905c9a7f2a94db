import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

import {cast} from '../../src/cast/cast';
import {roundComposite} from '../../src/cast/round_composite';
import {ROUND_KERNEL_NAME} from '../../src/cast/round_kernel_name';
import {lastWasmRoundPath, preferWasmRoundPath, WasmRoundPath} from '../../src/cast/round_wasm';
import {registerFallbackBackend} from './fallback_backend';
import {bitsOf, randomFloat32} from './rounding_cases';
import {describeRoundingContract, runRound} from './rounding_contract';

const FALLBACK = 'mp-test-fallback';
let removeFallback: () => void = () => undefined;

beforeAll(async () => {
  // Makes the engine check every kernel run for leaked data ids.
  tf.env().set('IS_TEST', true);
  removeFallback = await registerFallbackBackend(FALLBACK);
});
afterAll(() => removeFallback());

const viaCast = (x: tf.Tensor, dtype: 'float16' | 'bfloat16') => cast(x, dtype);

/** cast on wasm through one path, checking that path really ran. */
function viaWasmPath(path: WasmRoundPath) {
  return (x: tf.Tensor, dtype: 'float16' | 'bfloat16') => {
    preferWasmRoundPath(path);
    try {
      const y = cast(x, dtype);
      expect(lastWasmRoundPath()).toBe(path);
      return y;
    } finally {
      preferWasmRoundPath('simd');
    }
  };
}

describeRoundingContract('fused cpu kernel', () => 'cpu', viaCast, 1_000_000);
describeRoundingContract('wasm kernel, SIMD module', () => 'wasm', viaWasmPath('simd'), 1_000_000);
describeRoundingContract('wasm kernel, JS loop', () => 'wasm', viaWasmPath('js'), 1_000_000);
// The composite is exact on every non-NaN value; for a NaN it gives a NaN,
// but stock arithmetic cannot read (or truncate) a NaN's payload.
describeRoundingContract('composite of stock ops on cpu', () => 'cpu', roundComposite, 1_000_000, 'any');
describeRoundingContract('composite of stock ops on wasm', () => 'wasm', roundComposite, 1_000_000, 'any');
describeRoundingContract(
  'cast on a backend without a fused kernel (composite fallback)',
  () => FALLBACK,
  viaCast,
  1 << 18,
  'any',
);

describe('kernel dispatch', () => {
  test('the cpu and wasm kernels are registered; other backends get the composite on first use', async () => {
    expect(tf.getKernel(ROUND_KERNEL_NAME, 'cpu')).toBeDefined();
    expect(tf.getKernel(ROUND_KERNEL_NAME, 'wasm')).toBeDefined();
    // Start from a backend that has never run cast (earlier tests did).
    if (tf.getKernel(ROUND_KERNEL_NAME, FALLBACK) != null) {
      tf.unregisterKernel(ROUND_KERNEL_NAME, FALLBACK);
    }
    await tf.setBackend(FALLBACK);
    expect(tf.getKernel(ROUND_KERNEL_NAME, FALLBACK)).toBeUndefined();
    const before = tf.memory().numTensors;
    const x = tf.tensor([65519.99]);
    const y = cast(x, 'float16');
    expect(Array.from(y.dataSync())).toEqual([65504]);
    expect(tf.getKernel(ROUND_KERNEL_NAME, FALLBACK)).toBeDefined();
    tf.dispose([x, y]);
    expect(tf.memory().numTensors).toBe(before);
  });

  test('cpu and wasm (SIMD and JS) kernels agree bit for bit, NaN payloads included', async () => {
    const inputs = randomFloat32(1 << 18, 7);
    for (const dtype of ['float16', 'bfloat16'] as const) {
      await tf.setBackend('cpu');
      const onCpu = bitsOf(runRound(viaCast, inputs, dtype));
      await tf.setBackend('wasm');
      for (const path of ['simd', 'js'] as const) {
        const onWasm = bitsOf(runRound(viaWasmPath(path), inputs, dtype));
        let differing = 0;
        onCpu.forEach((v, i) => {
          differing += v === onWasm[i] ? 0 : 1;
        });
        expect(differing).toBe(0);
      }
    }
  });
});
