// Smoke tests of the layer examples: they run in-process and print what
// their comments promise.
import * as tf from '@tensorflow/tfjs';

import {main as convnetExample} from '../../examples/convnet_example';
import {main as seedExample} from '../../examples/seed_example';

async function printedBy(run: () => Promise<void>): Promise<string> {
  const lines: string[] = [];
  const record = (...args: unknown[]) => {
    lines.push(args.map(String).join(' '));
  };
  // info: compile's one-time note that it added loss scaling.
  const spies = [jest.spyOn(console, 'log').mockImplementation(record), jest.spyOn(console, 'info').mockImplementation(record)];
  try {
    await run();
  } finally {
    spies.forEach((spy) => spy.mockRestore());
  }
  return lines.join('\n');
}

it('seed_example: float16 Dense layers with float32 variables, float32 softmax; fit lowers the loss', async () => {
  await tf.setBackend('cpu');
  const start = tf.memory().numTensors;
  const out = await printedBy(seedExample);
  expect(tf.memory().numTensors).toBe(start);
  expect(out).toMatch(/dense_Dense\d+ \(Dense\)\s+infer_float32_vars\s+float16\s+float32\s+float16/);
  expect(out).toMatch(/activation_Activation\d+ \(Activation\)\s+infer_float32_vars\s+float32\s+-\s+float32/);
  expect(out).toContain('Functional model: symbolic tensors float16 -> float16 -> float16 -> float32');
  expect(out).toContain('computes in float16, kernel stored as float32');
  expect(out).toContain('dtypeOf(first Dense output) = float16');
  const losses = /fit: loss ([\d.]+) .* -> ([\d.]+)\n/.exec(out);
  expect(losses).not.toBeNull();
  expect(Number(losses![2])).toBeLessThan(Number(losses![1]));
});

it('convnet_example: trains under mixed_float16 on wasm', async () => {
  await tf.setBackend('wasm');
  const start = tf.memory().numTensors;
  const out = await printedBy(convnetExample);
  expect(out).toContain('backend: wasm');
  expect(out).toContain('first conv: policy mixed_float16; kernel float32 (float32 master weights); output logical dtype float16');
  const losses = [...out.matchAll(/epoch \d: loss ([\d.]+)/g)].map((m) => Number(m[1]));
  expect(losses.length).toBe(4);
  expect(losses[3]).toBeLessThan(losses[0] as number);
  expect(tf.memory().numTensors).toBe(start);
});
