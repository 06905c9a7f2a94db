import {CLASSES, PIXELS, loadMnist, mnistDataDir, parseIdxImages, parseIdxLabels} from '../../../examples/demo/mnist';

describe('loadMnist', () => {
  const mnist = loadMnist({trainCount: 500, testCount: 200});

  it('reads the requested number of images and labels', () => {
    expect(mnist.train.count).toBe(500);
    expect(mnist.train.images.length).toBe(500 * PIXELS);
    expect(mnist.train.labels.length).toBe(500);
    expect(mnist.test.count).toBe(200);
    expect(mnist.test.images.length).toBe(200 * PIXELS);
    expect(mnist.source).toBe(mnistDataDir());
  });

  it('holds the real MNIST files: first labels 5 0 4 1 9 (train) and 7 2 1 0 4 (test)', () => {
    expect(Array.from(mnist.train.labels.slice(0, 5))).toEqual([5, 0, 4, 1, 9]);
    expect(Array.from(mnist.test.labels.slice(0, 5))).toEqual([7, 2, 1, 0, 4]);
  });

  it('scales pixels to [0, 1] in steps of 1/255, with ink in every image', () => {
    let offGrid = 0;
    const maxima: number[] = [];
    for (let i = 0; i < mnist.train.count; i++) {
      const image = mnist.train.images.subarray(i * PIXELS, (i + 1) * PIXELS);
      let max = 0;
      for (const v of image) {
        offGrid += Math.abs(v * 255 - Math.round(v * 255)) < 1e-4 && v >= 0 ? 0 : 1;
        max = Math.max(max, v);
      }
      maxima.push(max);
    }
    expect(offGrid).toBe(0);
    expect(Math.min(...maxima)).toBeGreaterThan(0.5);
    expect(Math.max(...maxima)).toBe(1);
  });

  it('has every class among the first 500 training labels', () => {
    expect(new Set(mnist.train.labels).size).toBe(CLASSES);
  });

  it.each([
    [{trainCount: 0}, /trainCount must be an integer from 1 to 60000; received 0/],
    [{testCount: 10001}, /testCount must be an integer from 1 to 10000; received 10001/],
    [{trainCount: 1.5}, /trainCount must be an integer/],
  ])('rejects %j', (options, message) => {
    expect(() => loadMnist(options)).toThrow(message);
  });
});

describe('IDX parsing', () => {
  it('rejects a file with the wrong magic number', () => {
    const buffer = Buffer.alloc(16);
    buffer.writeUInt32BE(2049, 0);
    expect(() => parseIdxImages(buffer)).toThrow('Not an IDX images file: expected magic number 2051.');
    expect(() => parseIdxLabels(Buffer.alloc(8))).toThrow('Not an IDX labels file: expected magic number 2049.');
  });

  it('rejects a truncated images file and out-of-range labels', () => {
    const images = Buffer.alloc(16 + 784);
    images.writeUInt32BE(2051, 0);
    images.writeUInt32BE(2, 4);
    images.writeUInt32BE(28, 8);
    images.writeUInt32BE(28, 12);
    expect(() => parseIdxImages(images)).toThrow(`IDX images file holds ${16 + 784} bytes; expected ${16 + 2 * 784}.`);
    const labels = Buffer.from([0, 0, 8, 1, 0, 0, 0, 2, 3, 10]);
    expect(() => parseIdxLabels(labels)).toThrow('IDX labels must be 0..9; found 10.');
  });

  it('parses a well-formed two-label file', () => {
    const labels = Buffer.from([0, 0, 8, 1, 0, 0, 0, 2, 3, 9]);
    expect(Array.from(parseIdxLabels(labels))).toEqual([3, 9]);
  });
});
