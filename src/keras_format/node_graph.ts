import {describeValue} from '../dtypes';
import {KerasHistory} from './inbound_nodes';
import {Json, JsonObject, isJsonObject} from './json';

// Layers that have one node before any call: an InputLayer, and a nested
// model (tfjs's Container makes a node for its own inputs).
const BORN_WITH_A_NODE = ['InputLayer', 'Sequential', 'Functional', 'Model'];

interface GraphLayer {
  readonly name: string;
  readonly className: string;
  readonly nodes: readonly KerasHistory[][];
  /** How many tensors a call returns, at most. */
  readonly outputs: number;
}

/**
 * Checks that tfjs can build a functional model's graph from its (Keras 2
 * form) layers: tfjs calls each layer once its inputs exist and retries the
 * rest in a loop with no exit, so a reference to a missing layer or node, or
 * a cycle, would hang it. This runs the same rounds on node counts alone and
 * refuses, naming the layer and its input, whatever would never be built.
 * Then `input_layers`/`output_layers` must name nodes that will exist.
 */
export function checkNodeGraph(layers: readonly JsonObject[], endpoints: Record<string, KerasHistory[]>, where: string): void {
  const graph = layers.map(graphLayer);
  const counts = new Map<string, number>();
  const configNames = new Set<Json>();
  for (const [i, layer] of graph.entries()) {
    // Unique names both ways: tfjs processes a layer's nodes under its
    // config name, so two layers sharing one would mix up their calls.
    const configName = (layers[i]!['config'] as JsonObject)['name'] ?? layer.name;
    if (counts.has(layer.name) || configNames.has(configName)) {
      throw new Error(`${where}: two layers are named '${counts.has(layer.name) ? layer.name : String(configName)}'; layer names must be unique.`);
    }
    configNames.add(configName);
    counts.set(layer.name, BORN_WITH_A_NODE.includes(layer.className) ? 1 : 0);
  }
  for (const layer of graph) {
    layer.nodes.forEach((node, index) =>
      node.forEach((input) => checkTensorIndex(graph, input, `${describeLayer(layer)}, inbound node ${index}: its input ${describeValue(input)}`)),
    );
  }
  let pending = graph.flatMap((layer) => layer.nodes.map((node, index) => ({layer, node, index})));
  const ready = (node: KerasHistory[]): boolean => node.every(([name, nodeIndex]) => (counts.get(name) ?? -1) > nodeIndex);
  while (pending.length > 0) {
    const waiting = pending.filter((p) => !ready(p.node));
    if (waiting.length === pending.length) {
      const {layer, node, index} = waiting[0]!;
      const [name, nodeIndex] = node.find((input) => !ready([input]))!;
      throw new Error(`${describeLayer(layer)}, inbound node ${index}: its input ${describeValue(node.find(([n]) => n === name))} ${whyNot(name, nodeIndex, counts, graph)}`);
    }
    for (const p of pending.filter((q) => ready(q.node))) {
      counts.set(p.layer.name, counts.get(p.layer.name)! + 1);
    }
    pending = waiting;
  }
  for (const [key, list] of Object.entries(endpoints)) {
    for (const entry of list) {
      const [name, nodeIndex] = entry;
      checkTensorIndex(graph, entry, `${where}: ${key} lists ${describeValue(entry)}, which`);
      const count = counts.get(name);
      if (count === undefined || count <= nodeIndex) {
        throw new Error(`${where}: ${key} lists ${describeValue(entry)}, which ${whyNot(name, nodeIndex, counts, graph)}`);
      }
    }
  }
}

function graphLayer(entry: JsonObject): GraphLayer {
  const className = entry['class_name'] as string;
  const config = entry['config'] as JsonObject;
  // One tensor per call, except a nested model (one per output) and a
  // recurrent layer returning its states (an open count).
  const outputs = BORN_WITH_A_NODE.includes(className) && Array.isArray(config['output_layers'])
    ? config['output_layers'].length
    : config['return_state'] === true || isJsonObject(config['layer'])
      ? Infinity
      : 1;
  return {name: entry['name'] as string, className, nodes: (entry['inbound_nodes'] as Json[] | undefined ?? []) as KerasHistory[][], outputs};
}

function checkTensorIndex(graph: readonly GraphLayer[], [name, , tensorIndex]: KerasHistory, where: string): void {
  const layer = graph.find((l) => l.name === name);
  if (layer !== undefined && tensorIndex >= layer.outputs) {
    throw new Error(
      `${where} refers to output ${tensorIndex} of ${describeLayer(layer)}, which returns ${layer.outputs} ` +
        `tensor${layer.outputs === 1 ? '' : 's'}.`,
    );
  }
}

function describeLayer(layer: GraphLayer): string {
  return `layer '${layer.name}' (${layer.className})`;
}

function whyNot(name: string, nodeIndex: number, counts: Map<string, number>, graph: readonly GraphLayer[]): string {
  const layer = graph.find((l) => l.name === name);
  if (layer === undefined) {
    return `refers to layer '${name}', which is not in the model.`;
  }
  const possible = (BORN_WITH_A_NODE.includes(layer.className) ? 1 : 0) + layer.nodes.length;
  if (nodeIndex >= possible) {
    return `refers to node ${nodeIndex} of ${describeLayer(layer)}, which has ${possible} node${possible === 1 ? '' : 's'}.`;
  }
  return `refers to node ${nodeIndex} of ${describeLayer(layer)}, which is never built: the layers' inputs form a cycle.`;
}
