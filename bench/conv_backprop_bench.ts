/**
 * Composed convolution backprop kernels: per-kernel times and a whole convnet
 * training step, wasm vs cpu, printed as ratios measured in this one run.
 *
 *   npx ts-node --transpile-only bench/conv_backprop_bench.ts
 *
 * The stock cpu filter-gradient kernels are so slow that they are timed at a
 * smaller batch (CPU_STOCK_BATCH) and scaled linearly to batch 128 (their
 * work is linear in the batch); those figures are marked "scaled". The cpu
 * training step with the composed kernels is likewise timed at CPU_BATCH.
 *
 * Times are this process's CPU time (process.cpuUsage), not wall time: the
 * machine is shared and both backends run single-threaded in Node (wasm
 * threads are off), so CPU time measures the work without the neighbours'
 * load. The wall time of the training steps is printed too.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

import {conv2dBackpropFilterConfig} from '../src/conv_backprop/conv2d_backprop_filter';
import {conv2dBackpropInputConfig} from '../src/conv_backprop/conv2d_backprop_input';
import {
  registerConvBackpropKernels, restoreStockConvBackpropKernels, stockKernel,
} from '../src/conv_backprop/conv_backprop_registry';
import {depthwiseConv2dNativeBackpropFilterConfig} from '../src/conv_backprop/depthwise_conv2d_native_backprop_filter';
import {depthwiseConv2dNativeBackpropInputConfig} from '../src/conv_backprop/depthwise_conv2d_native_backprop_input';
import '../src/conv_backprop/register_conv_backprop_kernels';

const BATCH = 128;
const CPU_STOCK_BATCH = 8;
const CPU_BATCH = 32;

type Make = (backendName: string, original: tf.KernelConfig | undefined) => tf.KernelConfig;

interface KernelCase {
  label: string;
  kernelName: string;
  make: Make;
  /** Inputs and attrs for a given batch size. */
  call: (batch: number) => {inputs: Record<string, number[]>, attrs: tf.NamedAttrMap};
}

function convCall(kind: 'filter' | 'input', x: number[], f: number[], pad: 'same' | 'valid', depthwise: boolean,
    strides = 1): KernelCase['call'] {
  return (batch: number) => {
    const xShape = [batch, ...x.slice(1)] as [number, number, number, number];
    const info = tf.backend_util.computeConv2DInfo(xShape, f as [number, number, number, number], strides, 1, pad,
        undefined, depthwise);
    const attrs: tf.NamedAttrMap = {strides, pad, dilations: 1, dataFormat: 'NHWC'};
    const inputs: Record<string, number[]> = kind === 'filter' ?
        {x: xShape, dy: info.outShape} : {dy: info.outShape, filter: f};
    return {inputs, attrs: kind === 'filter' ? {...attrs, filterShape: f} : {...attrs, inputShape: xShape}};
  };
}

const CONV1: [number[], number[]] = [[0, 28, 28, 1], [3, 3, 1, 32]];
const CONV2: [number[], number[]] = [[0, 26, 26, 32], [3, 3, 32, 64]];
const DEPTHWISE: [number[], number[]] = [[0, 28, 28, 32], [3, 3, 32, 2]];

const CASES: KernelCase[] = [
  {label: 'conv1 dW  28x28x1 -> 32', kernelName: 'Conv2DBackpropFilter', make: conv2dBackpropFilterConfig,
    call: convCall('filter', ...CONV1, 'valid', false)},
  {label: 'conv2 dW  26x26x32 -> 64', kernelName: 'Conv2DBackpropFilter', make: conv2dBackpropFilterConfig,
    call: convCall('filter', ...CONV2, 'valid', false)},
  {label: 'conv2 dX  26x26x32 -> 64', kernelName: 'Conv2DBackpropInput', make: conv2dBackpropInputConfig,
    call: convCall('input', ...CONV2, 'valid', false)},
  {label: 'dX stride 2 28x28x32 -> 64', kernelName: 'Conv2DBackpropInput', make: conv2dBackpropInputConfig,
    call: convCall('input', [0, 28, 28, 32], [3, 3, 32, 64], 'same', false, 2)},
  {label: 'dX stride 3 28x28x32 -> 64', kernelName: 'Conv2DBackpropInput', make: conv2dBackpropInputConfig,
    call: convCall('input', [0, 28, 28, 32], [3, 3, 32, 64], 'same', false, 3)},
  {label: 'depthwise dW 28x28x32 x2', kernelName: 'DepthwiseConv2dNativeBackpropFilter',
    make: depthwiseConv2dNativeBackpropFilterConfig, call: convCall('filter', ...DEPTHWISE, 'same', true)},
  {label: 'depthwise dX 28x28x32 x2', kernelName: 'DepthwiseConv2dNativeBackpropInput',
    make: depthwiseConv2dNativeBackpropInputConfig, call: convCall('input', ...DEPTHWISE, 'same', true)},
  {label: 'depthwise dX stride 2', kernelName: 'DepthwiseConv2dNativeBackpropInput',
    make: depthwiseConv2dNativeBackpropInputConfig, call: convCall('input', ...DEPTHWISE, 'same', true, 2)},
];

/** Milliseconds of CPU time used by this process so far. */
function cpuMs(): number {
  const {user, system} = process.cpuUsage();
  return (user + system) / 1000;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** Median ms of `reps` calls of `config` on the current backend, after one warm-up call. */
function timeKernel(config: tf.KernelConfig, c: KernelCase, batch: number, reps: number): number {
  const backend = tf.backend();
  const {inputs, attrs} = c.call(batch);
  const tensors: Record<string, tf.Tensor> = {};
  for (const [name, shape] of Object.entries(inputs)) tensors[name] = tf.randomUniform(shape, -1, 1);
  const once = () => {
    const start = cpuMs();
    const out = config.kernelFunc({inputs: tensors, backend, attrs}) as tf.TensorInfo;
    backend.disposeData(out.dataId);
    return cpuMs() - start;
  };
  const times: number[] = [];
  if (reps > 1) once();
  for (let i = 0; i < reps; ++i) times.push(once());
  tf.dispose(Object.values(tensors));
  return median(times);
}

function fmt(ms: number | undefined): string {
  return ms == null ? '      -' : ms.toFixed(0).padStart(7);
}

async function kernels(): Promise<void> {
  console.log(`\nPer kernel, CPU ms at batch ${BATCH} (median; cpu stock dW timed at batch ${CPU_STOCK_BATCH} ` +
      `and scaled x${BATCH / CPU_STOCK_BATCH}, marked *)`);
  console.log('kernel                      wasm-comp wasm-stock  cpu-stock  cpu-comp   wasm-comp/  cpu-comp/');
  console.log('                                                                         wasm-stock  cpu-stock');
  for (const c of CASES) {
    await tf.setBackend('wasm');
    const wasmComposed = timeKernel(c.make('wasm', undefined), c, BATCH, 5);
    const wasmStockConfig = stockKernel(c.kernelName, 'wasm');
    const wasmStock = wasmStockConfig == null ? undefined : timeKernel(wasmStockConfig, c, BATCH, 3);
    await tf.setBackend('cpu');
    const cpuStockConfig = stockKernel(c.kernelName, 'cpu') as tf.KernelConfig;
    const slowStock = c.kernelName.endsWith('Filter');
    const cpuStock = slowStock ?
        timeKernel(cpuStockConfig, c, CPU_STOCK_BATCH, 1) * (BATCH / CPU_STOCK_BATCH) :
        timeKernel(cpuStockConfig, c, BATCH, 1);
    const cpuComposed = timeKernel(c.make('cpu', undefined), c, BATCH, 1);
    const ratio = (a: number, b: number | undefined) => b == null ? '         -' : (b / a).toFixed(1).padStart(9) + 'x';
    console.log(`${c.label.padEnd(27)} ${fmt(wasmComposed)}    ${fmt(wasmStock)}  ${fmt(cpuStock)}${slowStock ? '*' : ' '} ` +
        `${fmt(cpuComposed)}  ${ratio(wasmComposed, wasmStock)} ${ratio(cpuComposed, cpuStock)}`);
  }
  console.log('(ratios are "times faster": stock time / composed time)');
}

/** Two 3x3 convolutions, pooling, dense (the Keras MNIST convnet without dropout). */
function convnet(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu'}));
  model.add(tf.layers.conv2d({filters: 64, kernelSize: 3, activation: 'relu'}));
  model.add(tf.layers.maxPooling2d({poolSize: 2}));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({units: 10, activation: 'softmax'}));
  model.compile({optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy'});
  return model;
}

/** Median CPU and wall ms of one Adam training step (trainOnBatch), after one warm-up step if asked. */
async function timeStep(backendName: string, batch: number, reps: number, warmUp: boolean):
    Promise<{cpu: number, wall: number}> {
  await tf.setBackend(backendName);
  const model = convnet();
  const x = tf.randomUniform([batch, 28, 28, 1]);
  const y = tf.tidy(() => tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32'), 10).toFloat());
  if (warmUp) await model.trainOnBatch(x, y);
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < reps; ++i) {
    const [c0, w0] = [cpuMs(), performance.now()];
    await model.trainOnBatch(x, y);
    cpu.push(cpuMs() - c0);
    wall.push(performance.now() - w0);
  }
  tf.dispose([x, y]);
  model.optimizer.dispose();
  model.dispose();
  return {cpu: median(cpu), wall: median(wall)};
}

async function trainingStep(): Promise<void> {
  console.log(`\nConvnet training step (conv3x3 32, conv3x3 64, maxpool 2, dense 10; Adam), ms per step at batch ${BATCH}`);
  const wasm = await timeStep('wasm', BATCH, 5, true);
  const scale = (t: {cpu: number, wall: number}, batch: number) =>
    ({cpu: t.cpu * BATCH / batch, wall: t.wall * BATCH / batch});
  const cpuComposed = scale(await timeStep('cpu', CPU_BATCH, 2, true), CPU_BATCH);
  restoreStockConvBackpropKernels();
  let cpuStock: {cpu: number, wall: number};
  try {
    cpuStock = scale(await timeStep('cpu', CPU_STOCK_BATCH, 1, false), CPU_STOCK_BATCH);
  } finally {
    registerConvBackpropKernels();
  }
  const row = (label: string, t: {cpu: number, wall: number}) =>
    console.log(`${label.padEnd(58)} cpu ${t.cpu.toFixed(0).padStart(7)}   wall ${t.wall.toFixed(0).padStart(7)}`);
  row(`wasm, composed kernels, batch ${BATCH} (median of 5)`, wasm);
  row(`cpu, composed kernels, batch ${CPU_BATCH} x${BATCH / CPU_BATCH} (median of 2, scaled)`, cpuComposed);
  row(`cpu, stock kernels, batch ${CPU_STOCK_BATCH} x${BATCH / CPU_STOCK_BATCH} (1 step, scaled)`, cpuStock);
  console.log(`wasm vs cpu composed: ${(cpuComposed.cpu / wasm.cpu).toFixed(1)}x faster (CPU time), ` +
      `${(cpuComposed.wall / wasm.wall).toFixed(1)}x (wall); wasm vs cpu stock: ${(cpuStock.cpu / wasm.cpu).toFixed(1)}x; ` +
      `cpu composed vs cpu stock: ${(cpuStock.cpu / cpuComposed.cpu).toFixed(1)}x`);
  console.log('(wasm with its stock kernels cannot train this model: no Conv2DBackpropFilter)');
}

async function main(): Promise<void> {
  await tf.setBackend('wasm');
  await kernels();
  await trainingStep();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
