import * as tf from '@tensorflow/tfjs';

/**
 * Plain-loop convolution gradients over channels-last data: the fallback for
 * geometries the composition cannot express (an input of which no row is
 * read, zero-sized tensors) on backends that have no kernel of their own.
 * They accumulate in float64, so they are at least as exact as any float32
 * kernel. `depthwise` selects the DepthwiseConv2dNative channel mapping
 * (output channel `c * multiplier + m` reads input channel `c`).
 *
 * @example
 * const dw = filterGradLoop(xValues, dyValues, convInfo, false);
 */
export function filterGradLoop(
    x: ArrayLike<number>, dy: ArrayLike<number>, info: tf.backend_util.Conv2DInfo,
    depthwise: boolean): Float32Array {
  const {inChannels, outChannels, filterHeight, filterWidth} = info;
  const sum = new Float64Array(filterHeight * filterWidth * inChannels *
      (depthwise ? outChannels / inChannels : outChannels));
  forEachTap(info, (xo, yo, wo) => {
    if (depthwise) {
      const mult = outChannels / inChannels;
      for (let c = 0; c < inChannels; ++c) {
        const xv = x[xo + c] as number;
        for (let m = 0; m < mult; ++m) {
          addTo(sum, (wo + c) * mult + m, xv * (dy[yo + c * mult + m] as number));
        }
      }
    } else {
      for (let ci = 0; ci < inChannels; ++ci) {
        const xv = x[xo + ci] as number;
        const base = (wo + ci) * outChannels;
        for (let co = 0; co < outChannels; ++co) addTo(sum, base + co, xv * (dy[yo + co] as number));
      }
    }
  });
  return Float32Array.from(sum);
}

/** Input gradient counterpart of `filterGradLoop`; `w` is the forward filter. */
export function inputGradLoop(
    dy: ArrayLike<number>, w: ArrayLike<number>, info: tf.backend_util.Conv2DInfo,
    depthwise: boolean): Float32Array {
  const {batchSize, inHeight, inWidth, inChannels, outChannels} = info;
  const sum = new Float64Array(batchSize * inHeight * inWidth * inChannels);
  forEachTap(info, (xo, yo, wo) => {
    if (depthwise) {
      const mult = outChannels / inChannels;
      for (let c = 0; c < inChannels; ++c) {
        let s = 0;
        for (let m = 0; m < mult; ++m) {
          s += (dy[yo + c * mult + m] as number) * (w[(wo + c) * mult + m] as number);
        }
        addTo(sum, xo + c, s);
      }
    } else {
      for (let ci = 0; ci < inChannels; ++ci) {
        const base = (wo + ci) * outChannels;
        let s = 0;
        for (let co = 0; co < outChannels; ++co) {
          s += (dy[yo + co] as number) * (w[base + co] as number);
        }
        addTo(sum, xo + ci, s);
      }
    }
  });
  return Float32Array.from(sum);
}

function addTo(sum: Float64Array, i: number, v: number): void {
  sum[i] = (sum[i] as number) + v;
}

/**
 * Calls `visit` for every (output position, filter tap) that reads an input
 * element, with the flat offsets of that input pixel (`xo`), output pixel
 * (`yo`) and filter tap (`wo`, counted in input channels), channel 0 each.
 */
function forEachTap(info: tf.backend_util.Conv2DInfo, visit: (xo: number, yo: number, wo: number) => void): void {
  const {batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight,
    filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth, padInfo} = info;
  for (let b = 0; b < batchSize; ++b) {
    for (let oh = 0; oh < outHeight; ++oh) {
      for (let ow = 0; ow < outWidth; ++ow) {
        const yo = ((b * outHeight + oh) * outWidth + ow) * outChannels;
        for (let fh = 0; fh < filterHeight; ++fh) {
          const ih = oh * strideHeight + fh * dilationHeight - padInfo.top;
          if (ih < 0 || ih >= inHeight) continue;
          for (let fw = 0; fw < filterWidth; ++fw) {
            const iw = ow * strideWidth + fw * dilationWidth - padInfo.left;
            if (iw < 0 || iw >= inWidth) continue;
            visit(((b * inHeight + ih) * inWidth + iw) * inChannels, yo, (fh * filterWidth + fw) * inChannels);
          }
        }
      }
    }
  }
}

/**
 * Runs a loop on a backend's data through the generic `readSync`/`write`
 * calls every backend implements, so it needs nothing backend-specific.
 */
export function runLoop(
    backend: tf.KernelBackend, inputs: [tf.TensorInfo, tf.TensorInfo], outShape: number[],
    loop: (a: ArrayLike<number>, b: ArrayLike<number>) => Float32Array): tf.TensorInfo {
  const a = backend.readSync(inputs[0].dataId) as Float32Array;
  const b = backend.readSync(inputs[1].dataId) as Float32Array;
  const values = loop(a, b);
  return {dataId: backend.write(values, outShape, 'float32'), shape: outShape, dtype: 'float32'};
}
