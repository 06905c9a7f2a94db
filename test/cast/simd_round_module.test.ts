// The SIMD module on its own, over a plain and over a shared memory (the
// heap of tfjs's threaded wasm build is shared; the module must import it
// as such): bit for bit the cpu kernel's loop.
import {NarrowDtype} from '../../src/cast/narrow_dtype';
import {roundBits} from '../../src/cast/round_bits';
import {instantiateSimdRound, isSharedMemory, SIMD_BLOCK_BYTES} from '../../src/cast/simd_round_module';
import {randomFloat32} from './rounding_cases';

const COUNT = 1 << 16; // a multiple of the block size
const SRC = 1024; // byte offsets of the input and the output in the memory
const DST = SRC + COUNT * 4;

describe.each([false, true])('SIMD rounding module, shared memory: %s', (shared) => {
  const memory = new WebAssembly.Memory({initial: 16, maximum: 64, shared});

  test('the memory is of the kind under test', () => {
    expect(isSharedMemory(memory)).toBe(shared);
  });

  test.each(['float16', 'bfloat16'] as const)('%s: random patterns as the cpu kernel', (dtype: NarrowDtype) => {
    const simd = instantiateSimdRound(memory);
    expect(simd).not.toBeNull();
    expect((COUNT * 4) % SIMD_BLOCK_BYTES).toBe(0);
    const inputs = new Uint32Array(randomFloat32(COUNT, 99).buffer);
    new Uint32Array(memory.buffer, SRC, COUNT).set(inputs);
    simd![dtype](SRC, DST, COUNT * 4);
    const got = Array.from(new Uint32Array(memory.buffer, DST, COUNT));
    const want = new Uint32Array(COUNT);
    roundBits(dtype, inputs, want, new Float32Array(want.buffer));
    const differing = got.filter((g, i) => g !== want[i]).length;
    expect(differing).toBe(0);
  });
});
