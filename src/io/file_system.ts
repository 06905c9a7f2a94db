import * as tf from '@tensorflow/tfjs';

import {describeValue} from '../dtypes';
import {nodeBuiltins} from './node_builtins';
import {joinWeightData, shardFileName, splitWeightData} from './weight_shards';

/**
 * Options of `fileSystem`.
 *
 * @example
 * await model.save(mp.io.fileSystem('/tmp/big-model', {shardSizeBytes: 4 * 1024 * 1024}));
 */
export interface FileSystemOptions {
  /**
   * Largest weights file written, in bytes; larger weight data is split into
   * `group1-shard1ofN.bin` ... as the tfjs converter does (it uses 4 MiB).
   * Default: one file whatever the size.
   */
  shardSizeBytes?: number;
}

const MODEL_JSON = 'model.json';
const FILE_URL_PREFIX = 'file://';

/**
 * A tfjs IO handler that saves a model to and loads it from the local file
 * system in Node.js, without `@tensorflow/tfjs-node`: the standard `model.json`
 * plus `group1-shard*.bin` weights files, as tfjs and its converter write
 * them (also multi-shard, multi-group converter output; training config,
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

  /** Writes the weights files, then model.json (replaced atomically). */
  async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
    const {fs, path} = nodeBuiltins('fileSystem.save');
    if (artifacts.modelTopology instanceof ArrayBuffer) {
      throw new Error(
        `fileSystem.save('${this.modelJsonPath}'): the model topology is binary (a graph model); ` +
          `only JSON topologies (layers models) can be saved.`,
      );
    }
    await fs.promises.mkdir(this.directory, {recursive: true});
    const weightsManifest: tf.io.WeightsManifestConfig = [];
    if (artifacts.weightData !== undefined) {
      const shards = splitWeightData(artifacts.weightData, this.shardSizeBytes);
      const paths = shards.map((_, i) => shardFileName(i, shards.length));
      await Promise.all(shards.map((s, i) => fs.promises.writeFile(path.join(this.directory, paths[i]!), new Uint8Array(s))));
      weightsManifest.push({paths, weights: artifacts.weightSpecs ?? []});
    }
    const modelJson = modelJsonFor(artifacts, weightsManifest);
    const tmp = `${this.modelJsonPath}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
    await fs.promises.writeFile(tmp, JSON.stringify(modelJson));
    await fs.promises.rename(tmp, this.modelJsonPath);
    return {modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts)};
  }

  /**
   * Reads model.json and every weights file its manifest lists, in order,
   * into one ArrayBuffer of weight data.
   */
  async load(): Promise<tf.io.ModelArtifacts> {
    const {fs, path} = nodeBuiltins('fileSystem.load');
    const text = await readOrExplain(fs, this.modelJsonPath, `fileSystem.load: no model.json at '${this.modelJsonPath}'`);
    let modelJson: tf.io.ModelJSON;
    try {
      modelJson = JSON.parse(new TextDecoder().decode(text)) as tf.io.ModelJSON;
    } catch (e) {
      throw new Error(`fileSystem.load: '${this.modelJsonPath}' is not valid JSON: ${(e as Error).message}`);
    }
    if (modelJson === null || typeof modelJson !== 'object' || modelJson.modelTopology == null) {
      throw new Error(`fileSystem.load: '${this.modelJsonPath}' has no modelTopology; it is not a tfjs model.json.`);
    }
    const readWeights = async (manifest: tf.io.WeightsManifestConfig): Promise<[tf.io.WeightsManifestEntry[], ArrayBuffer]> => {
      const files = manifest.flatMap((group) => group.paths.map((p) => path.resolve(this.directory, p)));
      const buffers = await Promise.all(
        files.map(async (file) => {
          const bytes = await readOrExplain(
            fs,
            file,
            `fileSystem.load: the weights file '${file}' listed in the weightsManifest of '${this.modelJsonPath}' is missing`,
          );
          return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
        }),
      );
      // One buffer: tfjs 4.22 decodes a list of unequal buffers wrongly.
      return [tf.io.getWeightSpecs(manifest), joinWeightData(buffers)];
    };
    return tf.io.getModelArtifactsForJSON(modelJson, readWeights);
  }
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

async function readOrExplain(fs: typeof import('fs'), file: string, missing: string): Promise<Buffer> {
  try {
    return await fs.promises.readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new Error(`${missing}.`);
    }
    if (code === 'EISDIR') {
      throw new Error(`${missing}: it is a directory.`);
    }
    throw new Error(`${missing}: ${(e as Error).message}`);
  }
}
