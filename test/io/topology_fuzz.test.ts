// A bounded, seeded fuzz of the loader: deterministic mutations of the real
// Keras 2 / Keras 3 fixtures (topology and manifest alike), each loaded in a
// worker thread with a deadline (an endless loop inside tfjs cannot be
// interrupted by a timer in its own thread). Every load must end in a model
// or in a clear error, and a failed load must leave no tensor behind.
//
// A clear error, as asserted here: an Error (not a TypeError/RangeError from
// deep inside tfjs), whose message starts with the loader's name, names the
// file loaded, and carries no JavaScript-internal phrase such as "Cannot read
// properties of undefined" or "is not a function".

import * as fs from 'fs';
import * as path from 'path';
import {Worker} from 'worker_threads';

import {seededRandom} from '../../examples/demo/shuffle';
import {normalizeKerasTopology} from '../../src/keras_format/normalize_topology';
import {fixtureDir, fixtureJson} from './keras_fixtures';
import {makeTempDir, removeTempDirs} from './temp_dir';

afterAll(removeTempDirs);

const SEED = 12;
const MUTATIONS_PER_BASE = 70;
const DEADLINE_MS = 30_000; // per load, on a machine shared by many jobs
const INTERNAL_PHRASES = /Cannot read propert|is not a function|is not iterable|is not defined|of undefined|of null|Maximum call stack|Invalid array length|Cannot create property|Cannot set propert/;

type Container = Record<string, unknown> | unknown[];
interface Slot {
  parent: Container;
  key: string | number;
}

function slots(value: unknown, out: Slot[] = []): Slot[] {
  if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      const k = Array.isArray(value) ? Number(key) : key;
      out.push({parent: value as Container, key: k});
      slots((value as Record<string, unknown>)[key], out);
    }
  }
  return out;
}

const REPLACEMENTS: unknown[] = [null, [], {}, '', 'x', 0, -1, 1, 2, 1.5, 1000, true, [[]], ['dense', 0, 0], {args: [], kwargs: {}}];

/** One mutation of `json` (in place); returns what it did, for failure messages. */
function mutate(json: unknown, next: () => number): string {
  const all = slots(json);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const {parent, key} = pick(all);
  const here = `${JSON.stringify(key)} of ${JSON.stringify(parent).slice(0, 80)}`;
  const op = Math.floor(next() * 5);
  const target = (parent as Record<string, unknown>)[key as string];
  if (op === 0) {
    if (Array.isArray(parent)) {
      parent.splice(key as number, 1);
    } else {
      delete parent[key as string];
    }
    return `removed ${here}`;
  }
  if (op === 1 && Array.isArray(target) && target.length > 0) {
    target.push(JSON.parse(JSON.stringify(pick(target))));
    return `duplicated an element of ${here}`;
  }
  if (op === 2) {
    // Structurally plausible garbage: another part of the same file.
    const donor = (pick(all).parent as Record<string, unknown>)[pick(all).key as string];
    (parent as Record<string, unknown>)[key as string] = JSON.parse(JSON.stringify(donor ?? null));
    return `replaced ${here} by another subtree`;
  }
  const value = pick(REPLACEMENTS);
  (parent as Record<string, unknown>)[key as string] = JSON.parse(JSON.stringify(value));
  return `set ${here} to ${JSON.stringify(value)}`;
}

// The fixtures, plus the Keras 3 one in the Keras 2 functional form (the
// Keras 2 fixtures are Sequential, which has no inbound nodes).
function bases(): Array<[string, Record<string, any>]> {
  const keras3 = fixtureJson('keras3.4-dense-dtypepolicy');
  const asKeras2 = {...keras3, modelTopology: normalizeKerasTopology(keras3['modelTopology'])};
  return [
    ['keras3.4-dense-dtypepolicy', keras3],
    ['keras3.4-dense-dtypepolicy', asKeras2],
    ['keras2.4-linear', fixtureJson('keras2.4-linear')],
    ['keras2.11-conv', fixtureJson('keras2.11-conv')],
  ];
}

interface Outcome {
  ok: boolean;
  errorClass?: string;
  message?: string;
  leakedTensors?: number;
  leakedVariables?: number;
}

function runInWorker(files: string[], what: string[]): Promise<Outcome[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, 'fuzz', 'load_worker.js'), {workerData: {files}});
    const outcomes: Outcome[] = [];
    let current = -1;
    let timer: NodeJS.Timeout | undefined;
    const arm = (ms: number): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        void worker.terminate();
        reject(new Error(`load ${current} (${files[current]}: ${what[current]}) did not end within ${ms} ms`));
      }, ms);
    };
    arm(4 * DEADLINE_MS); // ts-node and tfjs start-up
    worker.on('message', (m: {type: string; index: number} & Outcome) => {
      if (m.type === 'start') {
        current = m.index;
        arm(DEADLINE_MS);
      } else if (m.type === 'done') {
        outcomes[m.index] = m;
      } else {
        clearTimeout(timer);
        void worker.terminate().then(() => resolve(outcomes));
      }
    });
    worker.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

describe('loading mutated Keras models', () => {
  it(`${4 * MUTATIONS_PER_BASE} seeded mutations each end, in a model or a clear error, leaking nothing`, async () => {
    const next = seededRandom(SEED); // every run tries the same inputs
    const files: string[] = [];
    const what: string[] = [];
    for (const [fixture, json] of bases()) {
      const dir = makeTempDir();
      for (const file of fs.readdirSync(fixtureDir(fixture)).filter((f) => f.endsWith('.bin'))) {
        fs.copyFileSync(path.join(fixtureDir(fixture), file), path.join(dir, file));
      }
      for (let i = 0; i < MUTATIONS_PER_BASE; i++) {
        const mutated = JSON.parse(JSON.stringify(json));
        const steps = [mutate(mutated, next)];
        if (next() < 0.3) {
          steps.push(mutate(mutated, next));
        }
        const file = path.join(dir, `m${i}.json`);
        fs.writeFileSync(file, JSON.stringify(mutated));
        files.push(file);
        what.push(`${fixture}: ${steps.join('; ')}`);
      }
    }
    const outcomes = await runInWorker(files, what);
    const unclear = outcomes
      .map((o, i) => ({...o, file: files[i]!, what: what[i]!}))
      .filter(
        (o) =>
          !o.ok &&
          (o.errorClass !== 'Error' ||
            !/^(loadLayersModel|fileSystem\.load)/.test(o.message!) ||
            !o.message!.includes(o.file) ||
            INTERNAL_PHRASES.test(o.message!) ||
            o.leakedTensors !== 0 ||
            o.leakedVariables !== 0),
      );
    expect(unclear).toEqual([]);
    // The fuzz reaches both ends: some mutations still load, most are refused.
    const loaded = outcomes.filter((o) => o.ok).length;
    expect(loaded).toBeGreaterThan(0);
    expect(loaded).toBeLessThan(outcomes.length);
  }, 20 * DEADLINE_MS);
});
