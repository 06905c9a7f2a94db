// Runs a LayersModel's graph on concrete inputs, as tfjs's own
// `Container.runInternalGraph` does (node by node, deepest first, masks
// passed along), with an identity on every floating layer output that
// records the output and, when the run is differentiated, the gradient that
// reaches it. One forward pass and one backward pass then give every layer's
// activations and activation gradients; the model itself is not modified.

import * as tf from '@tensorflow/tfjs';

type Layer = tf.layers.Layer;
type Kwargs = Record<string, unknown>;

/** Tensors recorded per layer (every output of every node of it in the model). */
export type LayerTensors = Map<Layer, tf.Tensor[]>;

/** What a recorded run collects; the caller disposes every recorded tensor. */
export interface Recording {
  /** Layer outputs, kept past the enclosing tidy. */
  readonly activations: LayerTensors;
  /** Gradients of the loss with respect to the layer outputs (after a backward pass). */
  readonly activationGrads: LayerTensors;
}

interface GraphNode {
  outboundLayer: Layer;
  inputTensors: tf.SymbolicTensor[];
  outputTensors: tf.SymbolicTensor[];
  callArgs?: Kwargs;
}

interface GraphView {
  inputs: tf.SymbolicTensor[];
  outputs: tf.SymbolicTensor[];
  inputLayers: Layer[];
  nodesByDepth: Record<string, GraphNode[]>;
}

/** An empty recording. */
export function newRecording(): Recording {
  return {activations: new Map(), activationGrads: new Map()};
}

/**
 * The model's outputs for `xs` (one tensor per model input), recording into
 * `recording`. Layers run in inference mode (`training: false`), so
 * BatchNormalization statistics and stateful layers are left as they are.
 * Call it inside a tidy or `tf.engine().gradients`.
 */
export function recordedForward(model: tf.LayersModel, xs: tf.Tensor[], recording: Recording): tf.Tensor[] {
  // A Sequential builds its graph on first use (predict, fit, compile).
  if (model instanceof tf.Sequential && !model.built) {
    model.build();
  }
  const graph = model as unknown as GraphView;
  const values = new Map<number, [tf.Tensor, tf.Tensor | null]>();
  graph.inputs.forEach((input, i) => {
    const layer = graph.inputLayers[i] as Layer;
    // Inputs: values only. Their gradients would cost a backward pass
    // through the first layer that training never computes.
    const x = xs[i] as tf.Tensor;
    if (x.dtype === 'float32') {
      push(recording.activations, layer, tf.keep(x.clone()));
    }
    values.set(input.id, [x, null]);
  });
  const depths = Object.keys(graph.nodesByDepth)
    .map((d) => Number(d))
    .sort((a, b) => b - a);
  for (const depth of depths) {
    for (const node of graph.nodesByDepth[String(depth)] ?? []) {
      const layer = node.outboundLayer;
      if (graph.inputLayers.includes(layer)) {
        continue;
      }
      const computed = node.inputTensors.map((t) => values.get(t.id));
      if (computed.some((c) => c === undefined)) {
        continue;
      }
      const data = computed as Array<[tf.Tensor, tf.Tensor | null]>;
      const single = data.length === 1;
      const inputs = single ? (data[0] as [tf.Tensor, tf.Tensor | null])[0] : data.map((d) => d[0]);
      const masks = single ? (data[0] as [tf.Tensor, tf.Tensor | null])[1] : data.map((d) => d[1]);
      const kwargs: Kwargs = {...(node.callArgs ?? {}), training: false};
      if (kwargs['mask'] == null) {
        kwargs['mask'] = masks;
      }
      const outputs = toList(layer.call(inputs as tf.Tensor, kwargs) as tf.Tensor | tf.Tensor[]);
      const outputMasks = toList(layer.computeMask(inputs as tf.Tensor, masks as tf.Tensor) as tf.Tensor | tf.Tensor[] | null);
      node.outputTensors.forEach((symbolic, i) => {
        values.set(symbolic.id, [record(layer, outputs[i] as tf.Tensor, recording), outputMasks[i] ?? null]);
      });
    }
  }
  return graph.outputs.map((o) => {
    const v = values.get(o.id);
    if (v === undefined) {
      throw new Error(`precisionAudit: could not compute the model output '${o.name}'.`);
    }
    return v[0];
  });
}

function toList<T>(x: T | T[] | null): Array<T | null> {
  return Array.isArray(x) ? x : [x];
}

// An identity whose backward pass keeps a copy of the gradient it passes on.
function record(layer: Layer, x: tf.Tensor, recording: Recording): tf.Tensor {
  if (x.dtype !== 'float32') {
    return x;
  }
  // A copy (sharing the data): x may be the caller's input, which is not ours to dispose.
  push(recording.activations, layer, tf.keep(x.clone()));
  const identity = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => ({
    value: (args[0] as tf.Tensor).clone(),
    gradFunc: (dy: tf.Tensor | tf.Tensor[]) => {
      const g = Array.isArray(dy) ? (dy[0] as tf.Tensor) : dy;
      push(recording.activationGrads, layer, tf.keep(g.clone()));
      return g;
    },
  }));
  return identity(x);
}

function push(map: LayerTensors, layer: Layer, t: tf.Tensor): void {
  const list = map.get(layer);
  if (list === undefined) {
    map.set(layer, [t]);
  } else {
    list.push(t);
  }
}
