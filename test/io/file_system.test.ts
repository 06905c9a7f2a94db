import * as tf from '@tensorflow/tfjs';
import * as fs from 'fs';
import * as path from 'path';

import {fileSystem} from '../../src/io/file_system';
import {bytesOf, makeTempDir, removeTempDirs} from './temp_dir';

const topology = {class_name: 'Sequential', config: {name: 's', layers: []}, keras_version: 'tfjs-layers 4.22.0', backend: 'tensor_flow.js'};
const specs: tf.io.WeightsManifestEntry[] = [
  {name: 'd/kernel', shape: [2, 2], dtype: 'float32'},
  {name: 'd/bias', shape: [1], dtype: 'float32'},
];
const weights = () => new Float32Array([1.5, -2, 3.25, 4, 0.1]).buffer;

function artifacts(weightData: tf.io.WeightData = weights()): tf.io.ModelArtifacts {
  return {
    modelTopology: topology,
    format: 'layers-model',
    generatedBy: 'TensorFlow.js tfjs-layers v4.22.0',
    convertedBy: null,
    weightSpecs: specs,
    weightData,
    trainingConfig: {loss: 'mean_squared_error', metrics: ['acc'], optimizer_config: {class_name: 'SGD', config: {learningRate: 0.1}}},
    userDefinedMetadata: {author: 'test', nested: {n: 1}},
  };
}

beforeAll(() => tf.setBackend('cpu'));
afterAll(removeTempDirs);

describe('fileSystem save', () => {
  it('writes model.json and group1-shard1of1.bin as tfjs does', async () => {
    const dir = makeTempDir();
    const result = await fileSystem(dir).save(artifacts());
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
    const [shard] = json.weightsManifest[0].paths;
    // A fresh name per save (atomic replacement), ending as tfjs names it.
    expect(shard).toMatch(/^model\.[a-z0-9]+\.group1-shard1of1\.bin$/);
    expect(fs.readdirSync(dir).sort()).toEqual(['model.json', shard]);
    expect(json).toEqual({
      modelTopology: topology,
      format: 'layers-model',
      generatedBy: 'TensorFlow.js tfjs-layers v4.22.0',
      convertedBy: null,
      weightsManifest: [{paths: [shard], weights: specs}],
      trainingConfig: artifacts().trainingConfig,
      userDefinedMetadata: {author: 'test', nested: {n: 1}},
    });
    expect(Array.from(fs.readFileSync(path.join(dir, shard)))).toEqual(bytesOf(weights()));
    expect(result.modelArtifactsInfo.weightDataBytes).toBe(20);
    expect(result.modelArtifactsInfo.modelTopologyType).toBe('JSON');
  });

  it('accepts weightData as a list of ArrayBuffers (of unequal sizes) and shards it on request', async () => {
    const dir = makeTempDir();
    const all = bytesOf(weights());
    const parts = [new Uint8Array(all.slice(0, 6)).buffer, new Uint8Array(all.slice(6)).buffer];
    await fileSystem(dir, {shardSizeBytes: 8}).save(artifacts(parts));
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
    const token = /^model\.([a-z0-9]+)\./.exec(json.weightsManifest[0].paths[0])?.[1];
    expect(json.weightsManifest[0].paths).toEqual([1, 2, 3].map((i) => `model.${token}.group1-shard${i}of3.bin`));
    const written = json.weightsManifest[0].paths.flatMap((p: string) => Array.from(fs.readFileSync(path.join(dir, p))));
    expect(written).toEqual(all);
  });

  it('creates missing directories and writes to a named .json file', async () => {
    const dir = path.join(makeTempDir(), 'a', 'b');
    await fileSystem(path.join(dir, 'my-model.json')).save(artifacts());
    expect(fs.readdirSync(dir).sort()).toEqual(['my-model.json', expect.stringMatching(/^my-model\.[a-z0-9]+\.group1-shard1of1\.bin$/)]);
  });

  it('refuses a binary (graph model) topology, naming the path', async () => {
    const dir = makeTempDir();
    await expect(fileSystem(dir).save({modelTopology: new ArrayBuffer(4)})).rejects.toThrow(
      `fileSystem.save('${path.join(dir, 'model.json')}'): the model topology is binary`,
    );
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('fileSystem load', () => {
  it('reads back everything save wrote', async () => {
    const dir = makeTempDir();
    const saved = artifacts();
    await fileSystem(dir, {shardSizeBytes: 12}).save(saved);
    for (const where of [dir, path.join(dir, 'model.json'), `file://${dir}`]) {
      const loaded = await fileSystem(where).load();
      expect(loaded.modelTopology).toEqual(topology);
      expect(loaded.weightSpecs).toEqual(specs);
      expect(bytesOf(loaded.weightData as ArrayBuffer)).toEqual(bytesOf(weights()));
      expect(loaded.trainingConfig).toEqual(saved.trainingConfig);
      expect(loaded.userDefinedMetadata).toEqual(saved.userDefinedMetadata);
      expect(loaded.format).toBe('layers-model');
      expect(loaded.generatedBy).toBe(saved.generatedBy);
    }
  });

  it('reads multi-group, multi-shard converter output in manifest order', async () => {
    const dir = makeTempDir();
    const data = bytesOf(weights());
    const files: Array<[string, number[]]> = [
      // The second file longer than the first: a list of such buffers is
      // what tfjs 4.22's CompositeArrayBuffer slices wrongly.
      ['group1-shard1of2.bin', data.slice(0, 4)],
      ['group1-shard2of2.bin', data.slice(4, 16)],
      ['group2-shard1of1.bin', data.slice(16)],
    ];
    for (const [name, content] of files) {
      fs.writeFileSync(path.join(dir, name), Uint8Array.from(content));
    }
    fs.writeFileSync(
      path.join(dir, 'model.json'),
      JSON.stringify({
        format: 'layers-model',
        modelTopology: {model_config: topology},
        weightsManifest: [
          {paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'], weights: [specs[0]]},
          {paths: ['group2-shard1of1.bin'], weights: [specs[1]]},
        ],
      }),
    );
    const loaded = await fileSystem(dir).load();
    expect(loaded.weightSpecs).toEqual(specs);
    expect(bytesOf(loaded.weightData as ArrayBuffer)).toEqual(data);
    const decoded = tf.io.decodeWeights(loaded.weightData!, loaded.weightSpecs!);
    expect(Array.from(decoded['d/kernel']!.dataSync())).toEqual([1.5, -2, 3.25, 4]);
    expect(Array.from(decoded['d/bias']!.dataSync())).toEqual([Math.fround(0.1)]);
    tf.dispose(Object.values(decoded));
  });

  it('loads a model.json without weights', async () => {
    const dir = makeTempDir();
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify({modelTopology: topology}));
    const loaded = await fileSystem(dir).load();
    expect(loaded.modelTopology).toEqual(topology);
    expect(loaded.weightData).toBeUndefined();
  });

  it.each([
    ['a missing model.json', () => '', (dir: string) => `fileSystem.load: no model.json at '${path.join(dir, 'model.json')}'.`],
    [
      'a missing weights file',
      (dir: string) => {
        fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify({modelTopology: topology, weightsManifest: [{paths: ['w.bin'], weights: specs}]}));
        return '';
      },
      (dir: string) =>
        `fileSystem.load: the weights file '${path.join(dir, 'w.bin')}' listed in the weightsManifest of '${path.join(dir, 'model.json')}' is missing.`,
    ],
    [
      'invalid JSON',
      (dir: string) => (fs.writeFileSync(path.join(dir, 'model.json'), '{"modelTopology": '), ''),
      (dir: string) => `fileSystem.load: '${path.join(dir, 'model.json')}' is not valid JSON`,
    ],
    [
      'a JSON file that is no model',
      (dir: string) => (fs.writeFileSync(path.join(dir, 'model.json'), '{"a": 1}'), ''),
      (dir: string) => `fileSystem.load: '${path.join(dir, 'model.json')}' has no modelTopology; it is not a tfjs model.json.`,
    ],
  ])('reports %s with its path', async (_, setUp, message) => {
    const dir = makeTempDir();
    setUp(dir);
    await expect(fileSystem(dir).load()).rejects.toThrow(message(dir));
  });
});

describe('fileSystem arguments', () => {
  it.each([
    ['an empty path', '', {}, /fileSystem: path must be a non-empty string .*received ''/],
    ['a non-string path', 42, {}, /fileSystem: path must be a non-empty string .*received 42/],
    ['a zero shard size', '/tmp/x', {shardSizeBytes: 0}, /options.shardSizeBytes must be a positive integer; received 0/],
    ['a fractional shard size', '/tmp/x', {shardSizeBytes: 1.5}, /options.shardSizeBytes must be a positive integer; received 1.5/],
  ] as Array<[string, string, object, RegExp]>)('rejects %s', (_, p, options, message) => {
    expect(() => fileSystem(p, options)).toThrow(message);
  });

  it('resolves paths: a directory, a .json file, a file:// URL', () => {
    expect(fileSystem('/a/b').modelJsonPath).toBe(path.resolve('/a/b/model.json'));
    expect(fileSystem('/a/b/m.json').modelJsonPath).toBe(path.resolve('/a/b/m.json'));
    expect(fileSystem('/a/b/m.json').directory).toBe(path.resolve('/a/b'));
    expect(fileSystem('file:///a/my%20dir').modelJsonPath).toBe(path.resolve('/a/my dir/model.json'));
    expect(fileSystem('file://./rel/m.json').modelJsonPath).toBe(path.resolve('rel/m.json'));
    expect(fileSystem('FILE:///a/b').directory).toBe(path.resolve('/a/b'));
  });
});

describe('fileSystem with a tfjs model', () => {
  it('round-trips weights, training config and optimizer weights, without leaking tensors', async () => {
    const model = tf.sequential({layers: [tf.layers.dense({units: 3, inputShape: [4]}), tf.layers.dense({units: 1})]});
    model.compile({optimizer: tf.train.adam(0.01), loss: 'meanSquaredError'});
    const x = tf.randomNormal([8, 4], 0, 1, 'float32', 1);
    const y = tf.randomNormal([8, 1], 0, 1, 'float32', 2);
    await model.fit(x, y, {epochs: 2, verbose: 0});
    model.setUserDefinedMetadata({purpose: 'test'});
    const dir = makeTempDir();
    const beforeSave = tf.memory().numTensors;
    await model.save(fileSystem(dir), {includeOptimizer: true});
    // tfjs's own save leaks the iterations scalar of optimizer.getWeights().
    expect(tf.memory().numTensors).toBe(beforeSave + 1);
    const before = tf.memory().numTensors;
    const loaded = await tf.loadLayersModel(fileSystem(dir));
    const [a, b] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(loaded.getUserDefinedMetadata()).toEqual({purpose: 'test'});
    expect(loaded.optimizer.getClassName()).toBe('Adam');
    const [wa, wb] = [await model.optimizer.getWeights(), await loaded.optimizer.getWeights()];
    expect(wb.map((w) => w.name)).toEqual(wa.map((w) => w.name));
    expect(wb.map((w) => Array.from(w.tensor.dataSync()))).toEqual(wa.map((w) => Array.from(w.tensor.dataSync())));
    // getWeights returns the live slot variables plus a fresh iterations scalar.
    tf.dispose([a, b, wa[0]!.tensor, wb[0]!.tensor]);
    loaded.dispose();
    loaded.optimizer.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    model.optimizer.dispose();
    tf.dispose([x, y]);
  });
});

describe('the mp.io namespace module', () => {
  it('exposes fileSystem and its handler class', async () => {
    const io = await import('../../src/io');
    expect(Object.keys(io).sort()).toEqual(['FileSystemHandler', 'encodeFloat16Weights', 'fileSystem', 'float16Weights']);
    expect(io.fileSystem('/tmp/x')).toBeInstanceOf(io.FileSystemHandler);
  });
});
