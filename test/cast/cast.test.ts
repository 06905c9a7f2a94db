import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

import {cast} from '../../src/cast/cast';
import {Dtype, DTYPES} from '../../src/dtypes';
import {dtypeOf} from '../../src/logical_dtype';
import {bitMismatches, fromBits} from './rounding_cases';

// The contract of cast() that layers and loss scaling code against, on each
// backend with a fused kernel.

const ODD_FLOATS = fromBits([
  0x3f8ccccd, 0x00000001, 0x7f7fffff, 0x80000000, 0x7fc00000, 0xff800000, 0x33000000,
]);

function expectNoLeak(fn: () => void): void {
  const before = tf.memory().numTensors;
  fn();
  expect(tf.memory().numTensors).toBe(before);
}

describe.each(['cpu', 'wasm'])('cast on %s', (backend) => {
  beforeAll(async () => {
    await tf.setBackend(backend);
  });

  const inputs: Array<[string, () => tf.Tensor]> = [
    ['float32', () => tf.tensor([1.1, -2.5, 65519.99])],
    ['int32', () => tf.tensor([1, -2, 70000], undefined, 'int32')],
    ['bool', () => tf.tensor([true, false, true], undefined, 'bool')],
  ];
  const cases = inputs.flatMap(([name, make]) => DTYPES.map((d) => [name, d, make] as const));

  test.each(cases)('%s input to %s: a new tensor object; the input may be disposed first', (_n, dtype, make) => {
    expectNoLeak(() => {
      const x = make();
      const y = cast(x, dtype);
      expect(y).not.toBe(x);
      x.dispose();
      expect(y.isDisposed).toBe(false);
      expect(y.dataSync().length).toBe(3);
      y.dispose();
    });
  });

  test('float32 -> float32 keeps every bit (widening is exact) and records float32', () => {
    expectNoLeak(() => {
      const x = tf.tensor(ODD_FLOATS);
      const y = cast(x, 'float32');
      expect(bitMismatches(ODD_FLOATS, y.dataSync() as Float32Array, ODD_FLOATS)).toEqual([]);
      expect(dtypeOf(y)).toBe('float32');
      tf.dispose([x, y]);
    });
  });

  test.each([
    ['float16', [1.099609375, -2.5, 65504]],
    ['bfloat16', [1.1015625, -2.5, 65536]],
  ] as const)('float32 -> %s rounds and records the logical dtype', (dtype, expected) => {
    expectNoLeak(() => {
      const x = tf.tensor([1.1, -2.5, 65519.99]);
      const y = cast(x, dtype);
      expect(y.dtype).toBe('float32');
      expect(dtypeOf(y)).toBe(dtype);
      expect(Array.from(y.dataSync())).toEqual(expected);
      tf.dispose([x, y]);
    });
  });

  test('a float16 tensor widened to float32 keeps its values and is float32 again', () => {
    expectNoLeak(() => {
      const x = tf.tensor([1.1]);
      const h = cast(x, 'float16');
      const w = cast(h, 'float32');
      expect(dtypeOf(w)).toBe('float32');
      expect(Array.from(w.dataSync())).toEqual([1.099609375]);
      tf.dispose([x, h, w]);
    });
  });

  test.each(['float16', 'bfloat16', 'float32'] as const)(
    'int32 and bool tensors pass through %s untouched',
    (dtype) => {
      expectNoLeak(() => {
        const i = tf.tensor([70001, -3], undefined, 'int32');
        const b = tf.tensor([true, false], undefined, 'bool');
        const ci = cast(i, dtype);
        const cb = cast(b, dtype);
        expect(ci.dtype).toBe('int32');
        expect(Array.from(ci.dataSync())).toEqual([70001, -3]);
        expect(dtypeOf(ci)).toBe('int32');
        expect(cb.dtype).toBe('bool');
        expect(Array.from(cb.dataSync())).toEqual([1, 0]);
        tf.dispose([i, b, ci, cb]);
      });
    },
  );

  // tfjs's cpu Cast relabels int32/bool data as float32 without converting
  // it: the float32 tensor is backed by an Int32Array or a Uint8Array.
  test.each([
    ['float16', 'int32', [70001, 3, -2, 2049], [Infinity, 3, -2, 2048]],
    ['bfloat16', 'int32', [70001, 3, -2, 257], [70144, 3, -2, 256]],
    ['float16', 'bool', [1, 0, 1], [1, 0, 1]],
    ['bfloat16', 'bool', [1, 0, 1], [1, 0, 1]],
  ] as const)('to %s: a float32 tensor made by tf.cast from %s data is rounded by value', (dtype, from, values, expected) => {
    expectNoLeak(() => {
      const raw = tf.tensor(values as unknown as number[], undefined, from);
      const x = tf.cast(raw, 'float32');
      const y = cast(x, dtype);
      expect(Array.from(y.dataSync())).toEqual(expected);
      expect(dtypeOf(y)).toBe(dtype);
      tf.dispose([raw, x, y]);
    });
  });

  test('to int32 truncates (tf.cast); to bool is x != 0', () => {
    expectNoLeak(() => {
      const x = tf.tensor([1.7, -1.7, 0, NaN]);
      const i = cast(x, 'int32');
      const b = cast(x, 'bool');
      const n = tf.tensor([-3, 0], undefined, 'int32');
      const ib = cast(n, 'bool');
      expect(i.dtype).toBe('int32');
      expect(Array.from(i.dataSync()).slice(0, 3)).toEqual([1, -1, 0]);
      // A true bool on every backend: tf.cast on wasm would give 255 for -1.7.
      expect(b.dtype).toBe('bool');
      expect(Array.from(b.dataSync())).toEqual([1, 1, 0, 1]);
      expect(Array.from(ib.dataSync())).toEqual([1, 0]);
      tf.dispose([x, i, b, n, ib]);
    });
  });

  test('inside tf.tidy only the returned tensor survives', () => {
    const before = tf.memory().numTensors;
    const y = tf.tidy(() => {
      const x = tf.tensor([1.1, 2.2]);
      const h = cast(x, 'float16');
      cast(h, 'bfloat16');
      return cast(h, 'float32');
    });
    expect(tf.memory().numTensors).toBe(before + 1);
    y.dispose();
  });

  test.each([
    ['float64', "'float64'"],
    ['Float16', "'Float16'"],
    [undefined, 'undefined'],
    [16, '16'],
  ])('a bad dtype %p is refused, naming the argument and the valid choices', (bad, shown) => {
    expectNoLeak(() => {
      const x = tf.tensor([1]);
      expect(() => cast(x, bad as unknown as Dtype)).toThrow(
        `dtype must be one of 'float32', 'float16', 'bfloat16', 'int32', 'bool'; received ${shown}.`,
      );
      x.dispose();
    });
  });

  test('a tensor passed as dtype is described by dtype and shape, not its internals', () => {
    expectNoLeak(() => {
      const x = tf.tensor([1]);
      const d = tf.tensor([[1, 2]]);
      expect(() => cast(x, d as unknown as Dtype)).toThrow(
        "dtype must be one of 'float32', 'float16', 'bfloat16', 'int32', 'bool'; " +
          "received a tensor of dtype 'float32' and shape [1,2].",
      );
      tf.dispose([x, d]);
    });
  });

  test('a non-tensor x is refused', () => {
    expect(() => cast([1, 2] as unknown as tf.Tensor, 'float16')).toThrow(
      'x must be a tf.Tensor; received [1,2].',
    );
  });

  test('a string tensor is refused, naming its dtype', () => {
    expectNoLeak(() => {
      const s = tf.tensor(['a']);
      expect(() => cast(s, 'float16')).toThrow(
        "x must be a float32, int32 or bool tensor; received a tensor of dtype 'string'.",
      );
      s.dispose();
    });
  });
});

describe('cast across backends', () => {
  test.each([
    ['cpu', 'wasm'],
    ['wasm', 'cpu'],
  ])('a tensor made on %s is rounded on %s (the engine moves its data)', async (from, to) => {
    await tf.setBackend(from);
    const before = tf.memory().numTensors;
    const x = tf.tensor([1.1, 65519.99, 2 ** -25]);
    await tf.setBackend(to);
    const y = cast(x, 'float16');
    expect(Array.from(y.dataSync())).toEqual([1.099609375, 65504, 0]);
    tf.dispose([x, y]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('dtypeOf', () => {
  test.each([
    [null, 'null'],
    [undefined, 'undefined'],
    [5, '5'],
    ['float16', "'float16'"],
  ])('refuses %p, naming the argument and what it accepts', (bad, shown) => {
    expect(() => dtypeOf(bad as never)).toThrow(
      `dtypeOf: x must be a tf.Tensor or tf.SymbolicTensor; received ${shown}.`,
    );
  });

  test('reads a symbolic tensor as well as a concrete one', () => {
    const before = tf.memory().numTensors;
    const x = tf.tensor([1], undefined, 'int32');
    expect(dtypeOf(x)).toBe('int32');
    expect(dtypeOf(tf.input({shape: [2]}))).toBe('float32');
    x.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
