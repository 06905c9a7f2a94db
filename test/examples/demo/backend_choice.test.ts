import * as tf from '@tensorflow/tfjs';

import {chooseBackend} from '../../../examples/demo/backend_choice';

describe('chooseBackend', () => {
  it('picks wasm here (tfjs-node is not installed) and says why', async () => {
    let hasTfjsNode = true;
    try {
      require.resolve('@tensorflow/tfjs-node');
    } catch {
      hasTfjsNode = false;
    }
    const choice = await chooseBackend();
    expect(tf.getBackend()).toBe(choice.name);
    if (hasTfjsNode) {
      expect(choice.name).toBe('tensorflow');
    } else {
      expect(choice.name).toBe('wasm');
      expect(choice.description).toBe(
        'backend: wasm (WebAssembly, SIMD) (skipped tensorflow: tfjs-node not installed)',
      );
    }
  });

  it('honours force: cpu', async () => {
    const choice = await chooseBackend({force: 'cpu'});
    expect(choice).toEqual({name: 'cpu', description: 'backend: cpu (pure JavaScript, slow)'});
    expect(tf.getBackend()).toBe('cpu');
  });

  it('rejects an unknown forced backend', async () => {
    await expect(chooseBackend({force: 'webgl' as never})).rejects.toThrow(
      "force must be one of 'tensorflow', 'wasm', 'cpu'; received webgl.",
    );
  });
});
