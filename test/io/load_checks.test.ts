// The loader checks what it reads: each case edits a saved model on disk,
// then the load must fail with an error naming the file and the numbers, and
// leave no tensor behind; stock tfjs quantized formats still load.

import * as tf from '@tensorflow/tfjs';
import * as fs from 'fs';
import * as path from 'path';

import {loadLayersModel} from '../../src/io/load_layers_model';
import {fileSystem} from '../../src/io/file_system';
import {makeTempDir, removeTempDirs} from './temp_dir';

beforeAll(() => tf.setBackend('cpu'));
afterAll(removeTempDirs);
afterEach(() => jest.restoreAllMocks());

// d/kernel [3, 2] and d/bias [2]: 8 float32 = 32 bytes in one shard.
async function savedModel(): Promise<{dir: string; json: any; shard: string}> {
  const dir = makeTempDir();
  const m = tf.sequential({layers: [tf.layers.dense({units: 2, inputShape: [3], name: 'd'})]});
  const values = tf.tensor1d([1, 2, 3, 4, 5, 6, 7, 8]);
  m.setWeights([values.slice(0, 6).reshape([3, 2]), values.slice(6)]);
  await m.save(fileSystem(dir));
  m.dispose();
  tf.dispose(values);
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  return {dir, json, shard: json.weightsManifest[0].paths[0]};
}

function writeJson(dir: string, json: unknown): void {
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
}

type Edit = (dir: string, json: any, shard: string) => void;
const append = (bytes: number): Edit => (dir, _, shard) => fs.appendFileSync(path.join(dir, shard), Buffer.alloc(bytes));
const truncate = (size: number): Edit => (dir, _, shard) => fs.truncateSync(path.join(dir, shard), size);
const editJson = (f: (json: any) => void): Edit => (dir, json) => {
  f(json);
  writeJson(dir, json);
};

const cases: Array<[string, Edit, (dir: string, shard: string) => string | RegExp]> = [
  [
    'a weights file longer than the manifest says',
    append(4),
    (dir, shard) =>
      `fileSystem.load('${dir}/model.json'): '${shard}' holds 36 bytes of weight data, but the weights manifest describes ` +
      `32 bytes (2 weights): the data is longer than its manifest says, or belongs to another model.`,
  ],
  [
    'a truncated weights file',
    truncate(30),
    (dir, shard) => `'${shard}' holds 30 bytes of weight data, but the weights manifest describes 32 bytes (2 weights): the data is truncated`,
  ],
  [
    'an absolute manifest path',
    editJson((j) => (j.weightsManifest[0].paths = ['/etc/passwd'])),
    (dir) => `the weightsManifest lists '/etc/passwd', which is not inside the model's directory '${dir}'`,
  ],
  [
    'a manifest path leaving the directory',
    editJson((j) => (j.weightsManifest[0].paths = ['../other/group1-shard1of1.bin'])),
    (dir) => `the weightsManifest lists '../other/group1-shard1of1.bin', which is not inside the model's directory '${dir}'`,
  ],
  [
    'a model.json without weightsManifest',
    editJson((j) => delete j.weightsManifest),
    (dir) => `loadLayersModel: '${dir}' has no weights (no weightsManifest), but its topology has 2 ('d/kernel', 'd/bias')`,
  ],
  [
    'an unknown weight dtype',
    editJson((j) => (j.weightsManifest[0].weights[0].dtype = 'float64')),
    (dir) =>
      `fileSystem.load('${dir}/model.json'): weight 'd/kernel' has dtype 'float64'; valid dtypes: 'float32', 'int32', 'bool', 'complex64', 'string'.`,
  ],
  [
    'an unknown quantization dtype',
    editJson((j) => (j.weightsManifest[0].weights[1].quantization = {dtype: 'int4'})),
    () => `weight 'd/bias' (dtype 'float32') has quantization dtype 'int4'; valid: 'uint8', 'uint16', 'float16' on a numeric weight.`,
  ],
  [
    'a weightsManifest that is not a list',
    editJson((j) => (j.weightsManifest = {paths: ['x.bin']})),
    () => `weightsManifest must be a list of {paths, weights} groups; received {"paths":["x.bin"]}.`,
  ],
  [
    'weights named differently from the layers (tfjs leaked the decoded weights here)',
    editJson((j) => (j.weightsManifest[0].weights[0].name = 'e/kernel')),
    (dir) => new RegExp(`^loadLayersModel: the weights of '${dir}' do not fit its topology: .*e/kernel`),
  ],
  [
    'a weight of the wrong shape',
    editJson((j) => {
      j.weightsManifest[0].weights[0].shape = [2, 3];
    }),
    (dir) =>
      `loadLayersModel: the weights of '${dir}' do not fit its topology: weight 'd/kernel' has shape [2,3] in the weights ` +
      `manifest, but the layer expects [3,2].`,
  ],
  [
    'a missing weights file',
    (dir, _, shard) => fs.rmSync(path.join(dir, shard)),
    (dir, shard) => `fileSystem.load: the weights file '${dir}/${shard}' listed in the weightsManifest of '${dir}/model.json' is missing.`,
  ],
  [
    'an unreadable weights file (EACCES, injected)',
    (dir, _, shard) => {
      const readFile = fs.promises.readFile.bind(fs.promises);
      jest.spyOn(fs.promises, 'readFile').mockImplementation((async (file: string, options?: unknown) => {
        if (String(file).endsWith(shard)) {
          throw Object.assign(new Error('EACCES: permission denied'), {code: 'EACCES', path: file});
        }
        return readFile(file, options as BufferEncoding);
      }) as typeof fs.promises.readFile);
    },
    (dir, shard) =>
      `the weights file '${dir}/${shard}' listed in the weightsManifest of '${dir}/model.json' exists but cannot be read ` +
      `(permission denied): give this process read access to it.`,
  ],
];

describe('the loader refuses what does not match its manifest, naming the file, leaking nothing', () => {
  it.each(cases)('%s', async (_, edit, message) => {
    const {dir, json, shard} = await savedModel();
    edit(dir, json, shard);
    const before = tf.memory().numTensors;
    const variables = Object.keys(tf.engine().state.registeredVariables).length;
    await expect(loadLayersModel(dir)).rejects.toThrow(message(dir, shard));
    expect(tf.memory().numTensors).toBe(before);
    expect(Object.keys(tf.engine().state.registeredVariables).length).toBe(variables);
  });
});

describe('stock tfjs weight formats keep loading', () => {
  // float16 halves of 1, 2, 0.5, -1, 4, -2 and 0.25, 3.
  const halves = [0x3c00, 0x4000, 0x3800, 0xbc00, 0x4400, 0xc000, 0x3400, 0x4200];
  const expected = [1, 2, 0.5, -1, 4, -2, 0.25, 3];
  const quantized: Array<[string, object, Uint8Array]> = [
    ['float16', {dtype: 'float16'}, new Uint8Array(new Uint16Array(halves).buffer)],
    // uint8: value = q * scale + min.
    ['uint8', {dtype: 'uint8', scale: 0.25, min: -2}, Uint8Array.from(expected.map((v) => (v + 2) / 0.25))],
  ];
  it.each(quantized)('weights quantized as %s', async (_, quantization, bytes) => {
    const {dir, json, shard} = await savedModel();
    for (const w of json.weightsManifest[0].weights) {
      w.quantization = quantization;
    }
    writeJson(dir, json);
    fs.writeFileSync(path.join(dir, shard), bytes);
    const before = tf.memory().numTensors;
    const model = await loadLayersModel(dir);
    expect(model.getWeights().flatMap((w) => Array.from(w.dataSync()))).toEqual(expected);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a model.json for a topology without weights needs no weightsManifest', async () => {
    const dir = makeTempDir();
    const m = tf.sequential({layers: [tf.layers.flatten({inputShape: [2, 2]})]});
    const topology = m.toJSON(null, false);
    m.dispose();
    writeJson(dir, {modelTopology: topology, format: 'layers-model'});
    const model = await loadLayersModel(dir);
    expect(model.weights).toEqual([]);
    model.dispose();
  });
});

describe('initializers are skipped while a model whose weights are loaded is built', () => {
  const flagged = (): boolean => Object.prototype.hasOwnProperty.call(tf.layers.Layer.prototype, 'fastWeightInitDuringBuild');

  it('leaves layers built afterwards, and after a failed load, with their own initializers', async () => {
    const {dir, json} = await savedModel();
    const model = await loadLayersModel(dir);
    expect(model.getWeights().flatMap((w) => Array.from(w.dataSync()))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    model.dispose();
    expect(flagged()).toBe(false);
    json.modelTopology.config.layers[0].class_name = 'NoSuchLayer';
    writeJson(dir, json);
    await expect(loadLayersModel(dir)).rejects.toThrow(/NoSuchLayer/);
    expect(flagged()).toBe(false);
    const fresh = tf.sequential({layers: [tf.layers.dense({units: 4, inputShape: [4], kernelInitializer: 'ones'})]});
    expect(Array.from(fresh.getWeights()[0]!.dataSync())).toEqual(new Array(16).fill(1));
    fresh.dispose();
  });
});
