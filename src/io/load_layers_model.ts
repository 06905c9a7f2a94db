import * as tf from '@tensorflow/tfjs';

import {describeValue} from '../dtypes';
import {kerasCompileArgs} from '../keras_format/keras_training_config';
import {buildModel} from './build_model';
import {fileSystem} from './file_system';
import {isNode} from './node_builtins';
import {normalizingHandler} from './normalizing_handler';

/**
 * Loads a tfjs layers model, including Keras models converted by the tfjs
 * converter that stock `tf.loadLayersModel` refuses: Keras 3 topologies
 * (tfjs issue #8328) and layers whose `dtype` is a mixed-precision policy in
 * any Keras version's shape. Policy-aware layers come back with their policy
 * (`layer.policy`); weights, training config and optimizer weights are
 * restored as tfjs does. With `{compile: true}` a converted Keras model is
 * also compiled from its Keras `training_config` (see
 * `LoadLayersModelOptions.compile`).
 *
 * `pathOrIOHandler` is an `IOHandler`; an `http(s)://` URL (`tf.io.http`,
 * `options` are its load options); a path or `file://` URL in Node.js
 * (`mp.io.fileSystem`: a directory holding model.json, or the .json file);
 * or another URL scheme tfjs has a router for (`indexeddb://`, ...).
 *
 * @example
 * const model = await mp.loadLayersModel('test/fixtures/keras-models/keras3.4-dense-dtypepolicy');
 * model.predict(tf.tensor2d([[1]])).print(); // [[0.5857896]]
 */
export async function loadLayersModel(
  pathOrIOHandler: string | tf.io.IOHandler,
  options?: LoadLayersModelOptions,
): Promise<tf.LayersModel> {
  const [handler, source] = resolveHandler(pathOrIOHandler, options);
  let kerasTrainingConfig: unknown;
  const remember = (artifacts: tf.io.ModelArtifacts): void => {
    const topology = artifacts.modelTopology as {training_config?: unknown} | undefined;
    kerasTrainingConfig = topology?.training_config;
  };
  let model: tf.LayersModel;
  try {
    const artifacts = await normalizingHandler(handler, source, remember).load!();
    model = await buildModel(artifacts, source, options?.strict ?? true);
  } catch (e) {
    const message = (e as Error).message ?? String(e);
    if (message.startsWith('loadLayersModel') || message.startsWith('fileSystem')) {
      throw e;
    }
    throw Object.assign(new Error(`loadLayersModel: cannot build ${source}: ${message}`), {cause: e});
  }
  // A tfjs-saved trainingConfig has already compiled the model, as in tfjs.
  if (options?.compile === true && model.optimizer == null) {
    compileFromKeras(model, kerasTrainingConfig, source);
  }
  return model;
}

/**
 * `tf.io.LoadOptions` plus this loader's own.
 *
 * @example
 * const model = await mp.loadLayersModel('path/to/keras-model', {compile: true});
 */
export interface LoadLayersModelOptions extends tf.io.LoadOptions {
  /**
   * Compile the model from the Keras `training_config` the tfjs converter
   * writes into `modelTopology` (stock tfjs ignores it), as Keras's
   * `load_model(compile=True)`: the Keras optimizer (also a Keras
   * LossScaleOptimizer), loss and metrics. Throws, naming what is missing, if
   * the model has no training config or tfjs cannot reproduce it. Models
   * saved by tfjs with `includeOptimizer` are compiled either way.
   * Default false.
   */
  compile?: boolean;
}

function compileFromKeras(model: tf.LayersModel, trainingConfig: unknown, source: string): void {
  try {
    if (trainingConfig == null) {
      throw new Error(`${source} has no training_config (and no tfjs trainingConfig); compile it yourself.`);
    }
    model.compile(kerasCompileArgs(trainingConfig, source));
  } catch (e) {
    model.dispose();
    throw Object.assign(new Error(`loadLayersModel({compile: true}): ${(e as Error).message}`), {cause: e});
  }
}

function resolveHandler(value: unknown, options: tf.io.LoadOptions | undefined): [tf.io.IOHandler, string] {
  if (value !== null && typeof value === 'object' && typeof (value as tf.io.IOHandler).load === 'function') {
    return [value as tf.io.IOHandler, 'the model from the given IOHandler'];
  }
  if (typeof value !== 'string' || value.length === 0) {
    throw new Error(
      `loadLayersModel: pathOrIOHandler must be an IOHandler with a load() method, a URL or a file path; ` +
        `received ${describeValue(value)}.`,
    );
  }
  const source = `'${value}'`;
  if (/^https?:\/\//i.test(value)) {
    return [tf.io.http(value, options), source];
  }
  if (/^file:\/\//i.test(value) || (isNode() && !/^[a-z][a-z0-9+.-]+:\/\//i.test(value))) {
    return [fileSystem(value), source];
  }
  const handlers = tf.io.getLoadHandlers(value, options);
  if (handlers.length === 1) {
    return [handlers[0]!, source];
  }
  if (handlers.length > 1) {
    throw new Error(`loadLayersModel: ${handlers.length} registered IO routers claim ${source}; pass an IOHandler instead.`);
  }
  // tf.loadLayersModel would fetch 'indexeddb://m' over http when no router
  // claims it (in Node: "fetch failed"); say what is missing instead.
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1];
  if (scheme !== undefined) {
    throw new Error(
      `loadLayersModel: no IO handler is registered for '${scheme}://' (${source}) here. Valid: an IOHandler, ` +
        `an http(s):// URL, a file path or file:// URL in Node.js, or a scheme whose tfjs IO router is ` +
        `registered (indexeddb:// and localstorage:// in a browser).`,
    );
  }
  // A relative URL in a browser, as tf.loadLayersModel treats it.
  return [tf.io.http(value, options), source];
}
