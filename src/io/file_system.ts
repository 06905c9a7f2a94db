import * as tf from '@tensorflow/tfjs';

import {describeValue} from '../dtypes';
import {nodeBuiltins} from './node_builtins';
import {queued, removeQuietly, syncDirectory, uniqueToken, writeDurably} from './durable_files';
import {explainReadError, explainWriteError, isMissing} from './fs_errors';
import {joinWeightData, shardFileName, splitWeightData} from './weight_shards';
import {checkWeightData} from './weight_specs';

/**
 * Options of `fileSystem`.
 *
 * @example
 * await model.save(mp.io.fileSystem('/tmp/big-model', {shardSizeBytes: 4 * 1024 * 1024}));
 */
export interface FileSystemOptions {
  /**
   * Largest weights file written, in bytes; larger weight data is split into
   * `<name>.<save id>.group1-shard1ofN.bin` ... as the tfjs converter splits
   * it (it uses 4 MiB).
   * Default: one file whatever the size.
   */
  shardSizeBytes?: number;
}

const MODEL_JSON = 'model.json';
const FILE_URL_PREFIX = 'file://';

/**
 * A tfjs IO handler that saves a model to and loads it from the local file
 * system in Node.js, without `@tensorflow/tfjs-node`: the standard `model.json`
 * plus weights files named `model.<save id>.group1-shard1of1.bin` (fresh
 * names per save, so a save replaces a model atomically; the manifest lists
 * them). Loads what tfjs and its converter write
 * (also multi-shard, multi-group converter output; training config,
 * user-defined metadata and optimizer weights are kept).
 *
 * `path` is a directory (the model is `<path>/model.json`) or the path of the
 * `.json` file itself; a `file://` prefix is accepted.
 *
 * @example
 * await model.save(mp.io.fileSystem('/tmp/my-model'));
 * const loaded = await mp.loadLayersModel(mp.io.fileSystem('/tmp/my-model'));
 */
export function fileSystem(path: string, options: FileSystemOptions = {}): FileSystemHandler {
  return new FileSystemHandler(path, options);
}

/**
 * The handler `fileSystem` returns (an `IOHandler` with `save` and `load`).
 *
 * @example
 * const handler = new mp.io.FileSystemHandler('/tmp/my-model');
 * handler.modelJsonPath; // '/tmp/my-model/model.json'
 * await model.save(handler);
 */
export class FileSystemHandler implements tf.io.IOHandler {
  /** The directory the model's files live in. */
  readonly directory: string;
  /** The model.json path. */
  readonly modelJsonPath: string;
  private readonly shardSizeBytes: number;

  constructor(path: string, options: FileSystemOptions = {}) {
    if (typeof path !== 'string' || path.length === 0) {
      throw new Error(`fileSystem: path must be a non-empty string (a directory or a .json file); received ${describeValue(path)}.`);
    }
    const shardSizeBytes = options.shardSizeBytes ?? Infinity;
    if (typeof shardSizeBytes !== 'number' || !(shardSizeBytes > 0) || (Number.isFinite(shardSizeBytes) && !Number.isInteger(shardSizeBytes))) {
      throw new Error(`fileSystem: options.shardSizeBytes must be a positive integer; received ${describeValue(shardSizeBytes)}.`);
    }
    const nodePath = nodeBuiltins('fileSystem').path;
    const local = fromFileUrl(path);
    const isJson = local.toLowerCase().endsWith('.json');
    this.directory = nodePath.resolve(isJson ? nodePath.dirname(local) : local);
    this.modelJsonPath = isJson ? nodePath.resolve(local) : nodePath.join(this.directory, MODEL_JSON);
    this.shardSizeBytes = shardSizeBytes;
  }

  /**
   * Saves atomically: the weights files are written under fresh names and
   * flushed, then model.json is replaced by a rename; only then are the files
   * of the model saved there before removed. A reader sees the old model or
   * the new one; a failed save leaves the old one (and no new file). Saves to
   * one directory from this process run one after the other.
   */
  async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
    if (artifacts.modelTopology instanceof ArrayBuffer) {
      throw new Error(
        `fileSystem.save('${this.modelJsonPath}'): the model topology is binary (a graph model); ` +
          `only JSON topologies (layers models) can be saved.`,
      );
    }
    return queued(this.directory, () => this.saveNow(artifacts));
  }

  private async saveNow(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
    const {fs, path} = nodeBuiltins('fileSystem.save');
    const where = `fileSystem.save('${this.modelJsonPath}')`;
    const created: string[] = [];
    let previous: string[];
    const paths: string[] = [];
    try {
      await fs.promises.mkdir(this.directory, {recursive: true});
      const weightsManifest: tf.io.WeightsManifestConfig = [];
      const prefix = `${path.basename(this.modelJsonPath).replace(/\.json$/i, '')}.${uniqueToken()}.`;
      if (artifacts.weightData !== undefined) {
        const shards = splitWeightData(artifacts.weightData, this.shardSizeBytes);
        paths.push(...shards.map((_, i) => prefix + shardFileName(i, shards.length)));
        for (const [i, shard] of shards.entries()) {
          const file = path.join(this.directory, paths[i]!);
          created.push(file);
          await writeDurably(fs, file, new Uint8Array(shard));
        }
        weightsManifest.push({paths, weights: artifacts.weightSpecs ?? []});
      }
      const tmp = path.join(this.directory, `${prefix}tmp`);
      created.push(tmp);
      await writeDurably(fs, tmp, JSON.stringify(modelJsonFor(artifacts, weightsManifest)));
      previous = await this.filesOfManifest(this.modelJsonPath);
      await fs.promises.rename(tmp, this.modelJsonPath);
    } catch (e) {
      await removeQuietly(fs, created);
      throw explainWriteError(where, e);
    }
    await syncDirectory(fs, this.directory);
    // The new model is in place: what only the old one used can go, and
    // shards of saves made before saves were atomic that no manifest lists.
    const kept = new Set(paths.map((p) => path.join(this.directory, p)));
    await removeQuietly(fs, [...previous.filter((f) => !kept.has(f)), ...(await this.orphanedShards(kept))]);
    return {modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts)};
  }

  // The weights files a model.json lists, inside the directory; none if it
  // is missing or unreadable (then there is nothing of it to remove).
  private async filesOfManifest(jsonPath: string): Promise<string[]> {
    const {fs, path} = nodeBuiltins('fileSystem.save');
    try {
      const json = JSON.parse(await fs.promises.readFile(jsonPath, 'utf8')) as tf.io.ModelJSON;
      return (json.weightsManifest ?? [])
        .flatMap((g) => g.paths)
        .map((p) => path.resolve(this.directory, p))
        .filter((f) => path.dirname(f) === this.directory);
    } catch {
      return [];
    }
  }

  // group1-shard1of3.bin ... left over by the non-atomic saves of earlier
  // versions (a 1-shard save over a 3-shard one kept the 3 old files), unless
  // a model.json in the directory still lists them.
  private async orphanedShards(kept: Set<string>): Promise<string[]> {
    const {fs, path} = nodeBuiltins('fileSystem.save');
    const names = await fs.promises.readdir(this.directory).catch(() => [] as string[]);
    const shards = names.filter((n) => LEGACY_SHARD.test(n)).map((n) => path.join(this.directory, n));
    if (shards.length === 0) {
      return [];
    }
    const listed = new Set(kept);
    for (const name of names.filter((n) => n.toLowerCase().endsWith('.json'))) {
      (await this.filesOfManifest(path.join(this.directory, name))).forEach((f) => listed.add(f));
    }
    return shards.filter((f) => !listed.has(f));
  }

  /**
   * Reads model.json and every weights file its manifest lists, in order,
   * into one ArrayBuffer of weight data, refusing paths outside the
   * directory and files whose size differs from what the manifest describes.
   * If a save replaces the model while it is read, it reads again.
   */
  async load(): Promise<tf.io.ModelArtifacts> {
    for (let attempt = 1; ; attempt++) {
      const {json, text} = await this.readModelJson();
      try {
        return await this.loadWeightsOf(json);
      } catch (e) {
        const {fs} = nodeBuiltins('fileSystem.load');
        const now = await fs.promises.readFile(this.modelJsonPath, 'utf8').catch(() => text);
        if (!(e instanceof MissingWeightsFile) || now === text || attempt === 3) {
          throw e instanceof MissingWeightsFile ? e.error : e;
        }
      }
    }
  }

  private async readModelJson(): Promise<{json: tf.io.ModelJSON; text: string}> {
    const {fs} = nodeBuiltins('fileSystem.load');
    let text: string;
    try {
      text = await fs.promises.readFile(this.modelJsonPath, 'utf8');
    } catch (e) {
      throw isMissing(e)
        ? new Error(`fileSystem.load: no model.json at '${this.modelJsonPath}'.`)
        : explainReadError(`fileSystem.load: the model file '${this.modelJsonPath}'`, e);
    }
    let json: tf.io.ModelJSON;
    try {
      json = JSON.parse(text) as tf.io.ModelJSON;
    } catch (e) {
      throw new Error(`fileSystem.load: '${this.modelJsonPath}' is not valid JSON: ${(e as Error).message}`);
    }
    if (json === null || typeof json !== 'object' || json.modelTopology == null) {
      throw new Error(`fileSystem.load: '${this.modelJsonPath}' has no modelTopology; it is not a tfjs model.json.`);
    }
    return {json, text};
  }

  private async loadWeightsOf(modelJson: tf.io.ModelJSON): Promise<tf.io.ModelArtifacts> {
    const {fs, path} = nodeBuiltins('fileSystem.load');
    const where = `fileSystem.load('${this.modelJsonPath}')`;
    const groups = checkManifest(modelJson.weightsManifest, where);
    const readGroup = async (group: tf.io.WeightsManifestConfig[number]): Promise<ArrayBuffer> => {
      const files = group.paths.map((p) => this.weightsFilePath(p, where));
      const buffers = await Promise.all(
        files.map(async (file) => {
          try {
            const bytes = await fs.promises.readFile(file);
            return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
          } catch (e) {
            const error = explainReadError(
              `fileSystem.load: the weights file '${file}' listed in the weightsManifest of '${this.modelJsonPath}'`,
              e,
            );
            throw isMissing(e) ? new MissingWeightsFile(error) : error;
          }
        }),
      );
      // One buffer: tfjs 4.22 decodes a list of unequal buffers wrongly.
      const data = joinWeightData(buffers);
      checkWeightData(group.weights, data, where, files.map((f) => `'${path.basename(f)}'`).join(', '));
      return data;
    };
    const readWeights = async (manifest: tf.io.WeightsManifestConfig): Promise<[tf.io.WeightsManifestEntry[], ArrayBuffer]> => [
      tf.io.getWeightSpecs(manifest),
      joinWeightData(await Promise.all(manifest.map(readGroup))),
    ];
    return tf.io.getModelArtifactsForJSON({...modelJson, weightsManifest: groups as tf.io.WeightsManifestConfig}, readWeights);
  }

  // A manifest path as a file inside the model's directory, or an error:
  // a model.json must not make the loader read any other file.
  private weightsFilePath(p: string, where: string): string {
    const {path} = nodeBuiltins('fileSystem.load');
    const file = path.resolve(this.directory, p);
    const relative = path.relative(this.directory, file);
    if (path.isAbsolute(p) || /^[A-Za-z]:|^[\\/]/.test(p) || relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
      throw new Error(
        `${where}: the weightsManifest lists '${p}', which is not inside the model's directory '${this.directory}'; ` +
          `weights paths must be relative paths of files in that directory.`,
      );
    }
    return file;
  }
}

const LEGACY_SHARD = /^group\d+-shard\d+of\d+\.bin$/;

// A weights file missing while model.json names it: perhaps a save replaced
// the model between the two reads (then load reads again).
class MissingWeightsFile extends Error {
  constructor(readonly error: Error) {
    super(error.message);
  }
}

// The weightsManifest as groups of {paths: string[], weights: list}; absent
// means no weights (the loader then checks the topology has none).
function checkManifest(manifest: unknown, where: string): tf.io.WeightsManifestConfig | undefined {
  if (manifest === undefined || manifest === null) {
    return undefined;
  }
  if (!Array.isArray(manifest)) {
    throw new Error(`${where}: weightsManifest must be a list of {paths, weights} groups; received ${describeValue(manifest)}.`);
  }
  manifest.forEach((group: unknown, i) => {
    const g = group as {paths?: unknown; weights?: unknown} | null;
    if (
      g === null ||
      typeof g !== 'object' ||
      !Array.isArray(g.paths) ||
      !g.paths.every((p) => typeof p === 'string' && p.length > 0) ||
      !Array.isArray(g.weights)
    ) {
      throw new Error(
        `${where}: weightsManifest group ${i} must be {paths: [non-empty file names], weights: [...]}; received ${describeValue(group)}.`,
      );
    }
  });
  return manifest as tf.io.WeightsManifestConfig;
}

// A file:// URL as tfjs-node reads it: the rest is a path, relative
// ('file://./model') or absolute ('file:///tmp/model', 'file:///C:/model').
function fromFileUrl(path: string): string {
  if (!path.toLowerCase().startsWith(FILE_URL_PREFIX)) {
    return path;
  }
  const rest = decodeURIComponent(path.slice(FILE_URL_PREFIX.length));
  return /^\/[A-Za-z]:[\\/]/.test(rest) ? rest.slice(1) : rest;
}

// The model.json fields tfjs writes for these artifacts (tfjs does not
// export its own builder, getModelJSONForModelArtifacts).
function modelJsonFor(artifacts: tf.io.ModelArtifacts, weightsManifest: tf.io.WeightsManifestConfig): tf.io.ModelJSON {
  const json: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology as {},
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest,
  };
  const optional = ['signature', 'userDefinedMetadata', 'modelInitializer', 'initializerSignature', 'trainingConfig'] as const;
  for (const key of optional) {
    if (artifacts[key] != null) {
      (json as unknown as Record<string, unknown>)[key] = artifacts[key];
    }
  }
  return json;
}
