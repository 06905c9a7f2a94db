import * as tf from '@tensorflow/tfjs';

/**
 * What `tf.loadLayersModel` does once it has the artifacts (build the model,
 * training config, metadata, weights, optimizer weights), but leaving no
 * tensor or variable behind when a step fails: tfjs's own sequence leaks
 * the decoded weights and the half-built model's variables.
 *
 * It needs the model's weights: a topology with weights but no weight data
 * is refused (tfjs would quietly keep the random initial values).
 */
export async function buildModel(artifacts: tf.io.ModelArtifacts, source: string, strict: boolean): Promise<tf.LayersModel> {
  const created: tf.Variable[] = [];
  let model: tf.LayersModel | undefined;
  let decoded: tf.Tensor[] = [];
  try {
    const fast = artifacts.weightData != null && strict;
    const pending = tracking(created, () =>
      withFastWeightInit(fast, () => tf.models.modelFromJSON({modelTopology: artifacts.modelTopology} as tf.io.ModelJSON)),
    );
    model = await pending;
    if (artifacts.weightData == null) {
      if (model.weights.length > 0) {
        throw new Error(
          `loadLayersModel: ${source} has no weights (no weightsManifest), but its topology has ${model.weights.length} ` +
            `(${describeNames(model.weights.map((w) => w.originalName))}); loading it would give random weights. ` +
            `To build the architecture alone, use tf.models.modelFromJSON.`,
        );
      }
    }
    const built = model;
    if (artifacts.trainingConfig != null) {
      tracking(created, () => built.loadTrainingConfig(artifacts.trainingConfig as Parameters<tf.LayersModel['loadTrainingConfig']>[0]));
    }
    if (artifacts.userDefinedMetadata != null) {
      model.setUserDefinedMetadata(artifacts.userDefinedMetadata);
    }
    if (artifacts.weightData != null) {
      const specs = artifacts.weightSpecs ?? [];
      const tensors = tf.io.decodeWeights(artifacts.weightData, specs);
      decoded = Object.values(tensors);
      const modelWeights: tf.NamedTensorMap = {};
      const optimizerWeights: Array<{name: string; tensor: tf.Tensor}> = [];
      for (const spec of specs) {
        if (spec.group === 'optimizer') {
          optimizerWeights.push({name: spec.name, tensor: tensors[spec.name]!});
        } else {
          modelWeights[spec.name] = tensors[spec.name]!;
        }
      }
      for (const w of model.weights) {
        const given = modelWeights[w.originalName];
        if (given !== undefined && JSON.stringify(given.shape) !== JSON.stringify(w.shape)) {
          throw new Error(
            `loadLayersModel: the weights of ${source} do not fit its topology: weight '${w.originalName}' has shape ` +
              `${JSON.stringify(given.shape)} in the weights manifest, but the layer expects ${JSON.stringify(w.shape)}.`,
          );
        }
      }
      try {
        model.loadWeights(modelWeights, strict);
        if (model.optimizer != null && optimizerWeights.length > 0) {
          await model.optimizer.setWeights(optimizerWeights);
        }
      } catch (e) {
        throw Object.assign(new Error(`loadLayersModel: the weights of ${source} do not fit its topology: ${(e as Error).message}`), {
          cause: e,
        });
      }
      tf.dispose(decoded);
    }
    return model;
  } catch (e) {
    tf.dispose(decoded);
    if (model !== undefined) {
      model.optimizer?.dispose();
      disposeQuietly(() => model!.dispose());
    }
    for (const v of created) {
      if (!v.isDisposed) {
        v.dispose();
      }
    }
    throw e;
  }
}

// Runs `f` (synchronous work) and adds the variables it registered to `out`.
function tracking<T>(out: tf.Variable[], f: () => T): T {
  const registered = tf.engine().state.registeredVariables;
  const before = new Set(Object.keys(registered));
  try {
    return f();
  } finally {
    for (const [name, v] of Object.entries(registered)) {
      if (!before.has(name)) {
        out.push(v);
      }
    }
  }
}

// tfjs skips the (possibly costly) initializers when every weight will be
// overwritten by loaded values, through a per-layer flag its loader sets and
// modelFromJSON does not. While `f` runs (synchronously: no other code can
// build layers meanwhile) every layer reads the flag as set. Should tfjs
// rename the flag, this only makes loading slower, not different.
function withFastWeightInit<T>(on: boolean, f: () => T): T {
  const proto = tf.layers.Layer.prototype as unknown as object;
  if (!on || Object.prototype.hasOwnProperty.call(proto, FAST_INIT_FLAG)) {
    return f();
  }
  Object.defineProperty(proto, FAST_INIT_FLAG, {configurable: true, get: () => true, set: () => undefined});
  try {
    return f();
  } finally {
    delete (proto as Record<string, unknown>)[FAST_INIT_FLAG];
  }
}

const FAST_INIT_FLAG = 'fastWeightInitDuringBuild';

function disposeQuietly(f: () => void): void {
  try {
    f();
  } catch {
    // Already disposed, or never built far enough to dispose.
  }
}

function describeNames(names: string[]): string {
  return names.length <= 3 ? names.map((n) => `'${n}'`).join(', ') : `'${names[0]}', ... '${names[names.length - 1]}'`;
}
