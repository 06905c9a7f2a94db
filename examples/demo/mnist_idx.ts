// The MNIST IDX format, without file access: the constants, the parsers and
// the conversion of one split to floats. Browser-safe (plain Uint8Arrays);
// mnist.ts reads the files in Node, the web page fetches them.

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

/**
 * The first `wanted` examples (default all) of an IDX images file and its
 * labels file, pixels scaled to [0, 1]. `argName` names the count in errors;
 * `source` says where the files came from.
 *
 * @example
 * const train = splitFromIdx(imageBytes, labelBytes, 1000, 'trainCount', 'train-*-ubyte');
 */
export function splitFromIdx(
  imageBytes: Uint8Array,
  labelBytes: Uint8Array,
  wanted: number | undefined,
  argName: string,
  source: string,
): MnistSplit {
  const images = parseIdxImages(imageBytes);
  const labels = parseIdxLabels(labelBytes);
  if (images.count !== labels.length) {
    throw new Error(`MNIST ${source}: ${images.count} images but ${labels.length} labels.`);
  }
  const count = wanted ?? images.count;
  if (!Number.isInteger(count) || count < 1 || count > images.count) {
    throw new Error(`${argName} must be an integer from 1 to ${images.count}; received ${String(wanted)}.`);
  }
  const pixels = new Float32Array(count * PIXELS);
  for (let i = 0; i < pixels.length; i++) {
    pixels[i] = (images.bytes[i] as number) / 255;
  }
  return {images: pixels, labels: labels.slice(0, count), count};
}

/** Parses an IDX3 uint8 image file: magic 2051, count, rows, cols, pixels. */
export function parseIdxImages(buffer: Uint8Array): {count: number; bytes: Uint8Array} {
  const header = checkMagic(buffer, IMAGES_MAGIC, 'images');
  const count = header.getUint32(4);
  const rows = buffer.length >= 16 ? header.getUint32(8) : 0;
  const cols = buffer.length >= 16 ? header.getUint32(12) : 0;
  if (rows !== IMAGE_SIZE || cols !== IMAGE_SIZE) {
    throw new Error(`IDX images must be ${IMAGE_SIZE}x${IMAGE_SIZE}; received ${rows}x${cols}.`);
  }
  const expected = 16 + count * PIXELS;
  if (buffer.length !== expected) {
    throw new Error(`IDX images file holds ${buffer.length} bytes; expected ${expected}.`);
  }
  return {count, bytes: buffer.subarray(16, 16 + count * PIXELS)};
}

/** Parses an IDX1 uint8 label file: magic 2049, count, labels. */
export function parseIdxLabels(buffer: Uint8Array): Uint8Array {
  const header = checkMagic(buffer, LABELS_MAGIC, 'labels');
  const count = header.getUint32(4);
  if (buffer.length !== 8 + count) {
    throw new Error(`IDX labels file holds ${buffer.length} bytes; expected ${8 + count}.`);
  }
  const labels = buffer.subarray(8, 8 + count);
  for (const label of labels) {
    if (label >= CLASSES) {
      throw new Error(`IDX labels must be 0..${CLASSES - 1}; found ${label}.`);
    }
  }
  return labels;
}

/** A big-endian view of the header, after checking the magic number. */
function checkMagic(buffer: Uint8Array, magic: number, what: string): DataView {
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  if (buffer.length < 8 || view.getUint32(0) !== magic) {
    throw new Error(`Not an IDX ${what} file: expected magic number ${magic}.`);
  }
  return view;
}

/**
 * The examples at `indices` (in that order) of an IDX images file and its
 * labels file, without converting the rest: the same values as
 * `selectExamples(splitFromIdx(...), indices)`, in a fraction of the memory
 * (the web page keeps 60,000 images as bytes, not floats).
 *
 * @example
 * const train = examplesFromIdx(imageBytes, labelBytes, [5, 0, 7]);
 */
export function examplesFromIdx(
  imageBytes: Uint8Array,
  labelBytes: Uint8Array,
  indices: readonly number[],
): MnistSplit {
  const images = parseIdxImages(imageBytes);
  const labels = parseIdxLabels(labelBytes);
  if (images.count !== labels.length) {
    throw new Error(`MNIST: ${images.count} images but ${labels.length} labels.`);
  }
  const pixels = new Float32Array(indices.length * PIXELS);
  const picked = new Uint8Array(indices.length);
  indices.forEach((source, target) => {
    if (!Number.isInteger(source) || source < 0 || source >= images.count) {
      throw new Error(`indices must be integers from 0 to ${images.count - 1}; found ${source}.`);
    }
    for (let p = 0; p < PIXELS; p++) {
      pixels[target * PIXELS + p] = (images.bytes[source * PIXELS + p] as number) / 255;
    }
    picked[target] = labels[source] as number;
  });
  return {images: pixels, labels: picked, count: indices.length};
}
