// A save replaces a model atomically: whatever fails, and however two saves
// overlap, the directory holds the old model or the new one, complete, and
// no stray file. Faults are injected by replacing fs.promises functions (the
// tests run as root, where permissions stop nothing).

import * as tf from '@tensorflow/tfjs';
import * as fs from 'fs';
import * as path from 'path';

import {fileSystem} from '../../src/io/file_system';
import {loadLayersModel} from '../../src/io/load_layers_model';
import {makeTempDir, removeTempDirs} from './temp_dir';

beforeAll(() => tf.setBackend('cpu'));
afterAll(removeTempDirs);
afterEach(() => jest.restoreAllMocks());

// Two models of one architecture whose weights differ everywhere.
function model(fill: number): tf.LayersModel {
  const m = tf.sequential({layers: [tf.layers.dense({units: 8, inputShape: [6]}), tf.layers.dense({units: 3})]});
  const values = m.getWeights().map((w, i) => tf.fill(w.shape, fill + i));
  m.setWeights(values);
  tf.dispose(values);
  return m;
}

function weightValues(m: tf.LayersModel): number[][] {
  // getWeights returns the variables' own tensors (nothing to dispose).
  return m.getWeights().map((w) => Array.from(w.dataSync()));
}

async function loadedWeights(dir: string): Promise<number[][]> {
  const loaded = await loadLayersModel(dir);
  const values = weightValues(loaded);
  loaded.dispose();
  return values;
}

function errno(code: string, syscall: string, file: string, dest?: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected, ${syscall} '${file}'`), {code, syscall, path: file, ...(dest ? {dest} : {})});
}

// [old model, new model], saved before and disposed after each test.
let a: tf.LayersModel;
let b: tf.LayersModel;
let tensorsBefore: number;
beforeEach(() => {
  tensorsBefore = tf.memory().numTensors;
  a = model(1);
  b = model(100);
});
afterEach(() => {
  a.dispose();
  b.dispose();
  expect(tf.memory().numTensors).toBe(tensorsBefore);
});

describe('a save that fails leaves the previous model loadable and no new file', () => {
  const faults: Array<[string, (dir: string) => void, RegExp]> = [
    [
      'the rename of model.json (EPERM)',
      () => {
        jest.spyOn(fs.promises, 'rename').mockImplementation(async (from, to) => {
          throw errno('EPERM', 'rename', String(from), String(to));
        });
      },
      /cannot rename '.*\.tmp' to '.*model\.json' \(EPERM\): operation not permitted/,
    ],
    [
      'the write of the second weights file (ENOSPC)',
      () => {
        const open = fs.promises.open.bind(fs.promises);
        let calls = 0;
        jest.spyOn(fs.promises, 'open').mockImplementation(async (file, flags, mode) => {
          calls += 1;
          if (calls === 2) {
            throw errno('ENOSPC', 'open', String(file));
          }
          return open(file, flags, mode);
        });
      },
      /cannot write '.*\.group1-shard2of\d+\.bin' \(ENOSPC\): no space left on the device/,
    ],
    [
      'the write of model.json (EACCES)',
      () => {
        const open = fs.promises.open.bind(fs.promises);
        jest.spyOn(fs.promises, 'open').mockImplementation(async (file, flags, mode) => {
          if (String(file).endsWith('.tmp')) {
            throw errno('EACCES', 'open', String(file));
          }
          return open(file, flags, mode);
        });
      },
      /cannot write '.*\.tmp' \(EACCES\): permission denied: make the directory writable/,
    ],
  ];
  it.each(faults)('%s', async (_, inject, message) => {
    const dir = makeTempDir();
    await a.save(fileSystem(dir, {shardSizeBytes: 64}));
    const filesBefore = fs.readdirSync(dir).sort();
    inject(dir);
    const failed = b.save(fileSystem(dir, {shardSizeBytes: 64}));
    await expect(failed).rejects.toThrow(message);
    await expect(failed).rejects.toThrow(`fileSystem.save('${path.join(dir, 'model.json')}')`);
    await expect(failed).rejects.toThrow('Nothing was saved; a model saved there before is unchanged.');
    jest.restoreAllMocks();
    expect(fs.readdirSync(dir).sort()).toEqual(filesBefore);
    expect(await loadedWeights(dir)).toEqual(weightValues(a));
  });
});

describe('saves that overlap', () => {
  it('Promise.all of two saves to one directory leaves one of the two models, whole, 10 times in a row', async () => {
    const dir = makeTempDir();
    for (let i = 0; i < 10; i++) {
      const [first, second] = i % 2 === 0 ? [a, b] : [b, a];
      await Promise.all([first.save(fileSystem(dir, {shardSizeBytes: 40})), second.save(fileSystem(dir, {shardSizeBytes: 56}))]);
      // Saves to one directory run in call order: the second one wins.
      expect(await loadedWeights(dir)).toEqual(weightValues(second));
      const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
      expect(fs.readdirSync(dir).sort()).toEqual(['model.json', ...json.weightsManifest[0].paths].sort());
    }
  });

  it('a load that runs while a save replaces the model reads the old model or the new one', async () => {
    const dir = makeTempDir();
    await a.save(fileSystem(dir, {shardSizeBytes: 40}));
    const loads: Array<Promise<number[][]>> = [];
    const saved = b.save(fileSystem(dir, {shardSizeBytes: 40}));
    for (let i = 0; i < 5; i++) {
      loads.push(loadedWeights(dir));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await saved;
    for (const values of await Promise.all(loads)) {
      expect([weightValues(a), weightValues(b)]).toContainEqual(values);
    }
  });
});

describe('files a save leaves behind', () => {
  it('a smaller save over a larger one removes the old shards', async () => {
    const dir = makeTempDir();
    await a.save(fileSystem(dir, {shardSizeBytes: 16}));
    expect(fs.readdirSync(dir).length).toBeGreaterThan(5);
    await b.save(fileSystem(dir));
    expect(fs.readdirSync(dir).sort()).toEqual(['model.json', expect.stringMatching(/^model\.[a-z0-9]+\.group1-shard1of1\.bin$/)]);
    expect(await loadedWeights(dir)).toEqual(weightValues(b));
  });

  it('removes shards of the old, non-atomic naming that no model.json lists, and keeps those another model.json lists', async () => {
    const dir = makeTempDir();
    // What earlier versions left: a 1-shard save over a 3-shard one.
    await a.save(fileSystem(path.join(dir, 'other.json')));
    const otherJson = JSON.parse(fs.readFileSync(path.join(dir, 'other.json'), 'utf8'));
    const otherShard = otherJson.weightsManifest[0].paths[0];
    fs.renameSync(path.join(dir, otherShard), path.join(dir, 'group1-shard1of1.bin'));
    otherJson.weightsManifest[0].paths = ['group1-shard1of1.bin'];
    fs.writeFileSync(path.join(dir, 'other.json'), JSON.stringify(otherJson));
    for (const name of ['group1-shard1of3.bin', 'group1-shard2of3.bin', 'group1-shard3of3.bin']) {
      fs.writeFileSync(path.join(dir, name), 'stale');
    }
    await b.save(fileSystem(dir));
    expect(fs.readdirSync(dir).filter((n) => n.startsWith('group1-')).sort()).toEqual(['group1-shard1of1.bin']);
    expect(await loadedWeights(path.join(dir, 'other.json'))).toEqual(weightValues(a));
    expect(await loadedWeights(dir)).toEqual(weightValues(b));
  });

  it('says what to do when the directory cannot be created', async () => {
    const file = path.join(makeTempDir(), 'a-file');
    fs.writeFileSync(file, '');
    await expect(a.save(fileSystem(path.join(file, 'model')))).rejects.toThrow(
      new RegExp(`fileSystem.save\\('${file}/model/model.json'\\): cannot write '${file}/model' \\(EEXIST|ENOTDIR\\): a part of the path is a file`),
    );
  });
});
