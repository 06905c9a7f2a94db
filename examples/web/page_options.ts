// The training page's settings: read from the URL's query string (so a link
// or a test can set them), shown in the page's form, checked once here.

import {ModelKind} from '../demo/models';

/** The backends the page can use, best first. */
export const PAGE_BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type PageBackend = (typeof PAGE_BACKENDS)[number];

/** The experiments of the console demo: A (loss as is) or B (loss x 2^-14). */
export const PAGE_EXPERIMENTS = ['A', 'B'] as const;
export type PageExperiment = (typeof PAGE_EXPERIMENTS)[number];

export interface PageOptions {
  /** A backend, or 'auto' for the best one that initializes. */
  readonly backend: PageBackend | 'auto';
  readonly model: ModelKind;
  readonly experiment: PageExperiment;
  /** Training images (the same seeded subset as the console demo's). */
  readonly trainCount: number;
  readonly testCount: number;
  readonly epochs: number;
  readonly batchSize: number;
  /** Start training as soon as the data is loaded. */
  readonly autostart: boolean;
}

/**
 * Small enough to finish in about a minute on a CPU-emulated GPU
 * (SwiftShader); the form has room for more.
 */
export const PAGE_DEFAULTS: PageOptions = {
  backend: 'auto',
  model: 'convnet',
  experiment: 'A',
  trainCount: 512,
  testCount: 1000,
  epochs: 2,
  batchSize: 64,
  autostart: false,
};

/** The console demo's Adam learning rate. */
export const LEARNING_RATE = 3e-3;

/** Query parameter of each option, and its bounds. */
const PARAMETERS = {
  backend: {name: 'backend', choices: ['auto', ...PAGE_BACKENDS]},
  model: {name: 'model', choices: ['convnet', 'mlp']},
  experiment: {name: 'experiment', choices: PAGE_EXPERIMENTS},
  trainCount: {name: 'train', min: 1, max: 60000},
  testCount: {name: 'test', min: 1, max: 10000},
  epochs: {name: 'epochs', min: 1, max: 100},
  batchSize: {name: 'batch', min: 1, max: 1024},
  autostart: {name: 'autostart', choices: ['0', '1']},
} as const;

/**
 * Options from a query string such as `?backend=webgl&train=256&autostart=1`;
 * absent parameters take PAGE_DEFAULTS, unknown ones are an error.
 *
 * @example
 * parsePageOptions('?epochs=1&model=mlp').model; // 'mlp'
 */
export function parsePageOptions(search: string): PageOptions {
  const params = new URLSearchParams(search);
  const known = new Set<string>(Object.values(PARAMETERS).map((p) => p.name));
  for (const key of params.keys()) {
    if (!known.has(key)) {
      throw new Error(`Unknown page parameter '${key}'; valid: ${[...known].join(', ')}.`);
    }
  }
  const choice = <T extends string>(spec: {name: string; choices: readonly T[]}, fallback: T): T => {
    const value = params.get(spec.name);
    if (value === null) {
      return fallback;
    }
    if (!(spec.choices as readonly string[]).includes(value)) {
      throw new Error(`Page parameter '${spec.name}' must be one of ${spec.choices.join(', ')}; received '${value}'.`);
    }
    return value as T;
  };
  const integer = (spec: {name: string; min: number; max: number}, fallback: number): number => {
    const value = params.get(spec.name);
    if (value === null) {
      return fallback;
    }
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n) || n < spec.min || n > spec.max) {
      throw new Error(
        `Page parameter '${spec.name}' must be an integer from ${spec.min} to ${spec.max}; received '${value}'.`,
      );
    }
    return n;
  };
  const d = PAGE_DEFAULTS;
  return {
    backend: choice(PARAMETERS.backend, d.backend),
    model: choice(PARAMETERS.model, d.model),
    experiment: choice(PARAMETERS.experiment, d.experiment),
    trainCount: integer(PARAMETERS.trainCount, d.trainCount),
    testCount: integer(PARAMETERS.testCount, d.testCount),
    epochs: integer(PARAMETERS.epochs, d.epochs),
    batchSize: integer(PARAMETERS.batchSize, d.batchSize),
    autostart: choice(PARAMETERS.autostart, d.autostart ? '1' : '0') === '1',
  };
}

/**
 * The query string of `options` (defaults left out), the inverse of
 * parsePageOptions.
 *
 * @example
 * pageSearch({...PAGE_DEFAULTS, epochs: 5}); // '?epochs=5'
 */
export function pageSearch(options: PageOptions): string {
  const params = new URLSearchParams();
  for (const [key, spec] of Object.entries(PARAMETERS) as Array<[keyof PageOptions, {name: string}]>) {
    const value = options[key];
    if (value !== PAGE_DEFAULTS[key]) {
      params.set(spec.name, typeof value === 'boolean' ? (value ? '1' : '0') : String(value));
    }
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}
