import * as fs from 'fs';
import * as path from 'path';

import {mnistDataDir} from '../../../examples/demo/mnist';
import {PIXELS, examplesFromIdx, splitFromIdx} from '../../../examples/demo/mnist_idx';
import {selectExamples} from '../../../examples/demo/shuffle';

describe('examplesFromIdx (what the web page uses)', () => {
  const dir = mnistDataDir();
  const imageBytes = new Uint8Array(fs.readFileSync(path.join(dir, 't10k-images-idx3-ubyte')));
  const labelBytes = new Uint8Array(fs.readFileSync(path.join(dir, 't10k-labels-idx1-ubyte')));

  it('gives the same pixels and labels as converting the whole split, then selecting', () => {
    const indices = [9999, 0, 4321, 17, 0];
    const picked = examplesFromIdx(imageBytes, labelBytes, indices);
    const reference = selectExamples(splitFromIdx(imageBytes, labelBytes, undefined, 'testCount', 't10k'), indices);
    expect(picked.count).toBe(5);
    expect(picked.images.length).toBe(5 * PIXELS);
    expect(Array.from(picked.labels)).toEqual(Array.from(reference.labels));
    expect(Buffer.from(picked.images.buffer).equals(Buffer.from(reference.images.buffer))).toBe(true);
  });

  it.each([[-1], [10000], [1.5]])('rejects index %p, naming the valid range', (index) => {
    expect(() => examplesFromIdx(imageBytes, labelBytes, [0, index])).toThrow(
      `indices must be integers from 0 to 9999; found ${index}.`,
    );
  });

  it('rejects a truncated labels file', () => {
    expect(() => examplesFromIdx(imageBytes, labelBytes.subarray(0, 8 + 10), [0])).toThrow(
      'IDX labels file holds 18 bytes; expected 10008.',
    );
  });
});
