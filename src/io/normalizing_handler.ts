import * as tf from '@tensorflow/tfjs';

import {normalizeKerasTopology} from '../keras_format/normalize_topology';
import {joinWeightData} from './weight_shards';
import {checkWeightData} from './weight_specs';

/**
 * Wraps a load handler so that the artifacts it yields carry a topology stock
 * tfjs-layers can read (see `normalizeKerasTopology`); weights, training
 * config, user-defined metadata and optimizer weights pass through untouched.
 * `source` names the model in errors; `onLoad` sees the artifacts as loaded.
 */
export function normalizingHandler(
  inner: tf.io.IOHandler,
  source: string,
  onLoad?: (artifacts: tf.io.ModelArtifacts) => void,
): tf.io.IOHandler {
  const load = inner.load;
  if (typeof load !== 'function') {
    throw new Error(`loadLayersModel: the IOHandler for ${source} has no load() method.`);
  }
  return {
    load: async () => {
      const artifacts = await load.call(inner);
      onLoad?.(artifacts);
      if (artifacts.format === 'graph-model') {
        throw new Error(`loadLayersModel: ${source} is a graph model (format 'graph-model'); load it with tf.loadGraphModel.`);
      }
      if (artifacts.modelTopology == null || artifacts.modelTopology instanceof ArrayBuffer) {
        throw new Error(`loadLayersModel: ${source} has no JSON model topology, so it is not a layers model.`);
      }
      let modelTopology: {};
      try {
        modelTopology = normalizeKerasTopology(artifacts.modelTopology);
      } catch (e) {
        throw new Error(`loadLayersModel: cannot read the topology of ${source}: ${(e as Error).message}`);
      }
      if (artifacts.weightData != null) {
        if (artifacts.weightSpecs == null) {
          throw new Error(`loadLayersModel: ${source} has weight data but no weight specs (weightsManifest) to read it with.`);
        }
        checkWeightData(artifacts.weightSpecs, joinWeightData(artifacts.weightData), `loadLayersModel: ${source}`, 'the weight data');
      }
      return {...artifacts, modelTopology};
    },
  };
}
