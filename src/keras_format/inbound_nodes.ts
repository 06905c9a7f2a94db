import {describeValue} from '../dtypes';
import {Json, JsonObject, cloneJson, isJsonObject} from './json';

/** Where a tensor comes from: `[layerName, nodeIndex, tensorIndex]`. */
export type KerasHistory = [string, number, number];

const KERAS_TENSOR = '__keras_tensor__';

/**
 * Rewrites a layer's `inbound_nodes` from the Keras 3 form
 * `[{args: [kerasTensor, ...], kwargs}]` to the Keras 2 form tfjs reads,
 * `[[[layerName, nodeIndex, tensorIndex, kwargs], ...]]`. Nodes already in the
 * Keras 2 form are copied unchanged. `where` names the layer in errors.
 */
export function toKeras2InboundNodes(nodes: Json | undefined, where: string): Json[] {
  if (nodes === undefined || nodes === null) {
    return [];
  }
  if (!Array.isArray(nodes)) {
    throw new Error(`${where}: inbound_nodes must be a list; received ${describeValue(nodes)}.`);
  }
  return Array.from(nodes, (node, i) =>
    checkKeras2Node(Array.isArray(node) ? cloneJson(node) : convertNode(node, `${where}, inbound node ${i}`), `${where}, inbound node ${i}`),
  );
}

// tfjs reads a node as a list of [layerName, nodeIndex, tensorIndex, kwargs?]
// inputs; an empty node is never called and would stall the graph build.
function checkKeras2Node(node: Json, where: string): Json[] {
  if (!Array.isArray(node) || node.length === 0) {
    throw new Error(
      `${where} is ${describeValue(node)}; a node lists one [layerName, nodeIndex, tensorIndex, kwargs] entry per input ` +
        `and has at least one.`,
    );
  }
  for (const input of node) {
    const kwargs = Array.isArray(input) ? input[3] : undefined;
    if (!Array.isArray(input) || input.length < 3 || input.length > 4 || !isHistory(input.slice(0, 3)) || !(kwargs == null || isJsonObject(kwargs))) {
      throw new Error(
        `${where}: the input ${describeValue(input)} is not [layerName, nodeIndex, tensorIndex] or ` +
          `[layerName, nodeIndex, tensorIndex, kwargs] (a name, two non-negative integers, an optional object).`,
      );
    }
  }
  return node;
}

function convertNode(node: Json, where: string): Json {
  if (!isJsonObject(node) || !('args' in node || 'kwargs' in node)) {
    throw new Error(
      `${where}: expected a Keras 2 list or a Keras 3 {args, kwargs} node; received ${describeValue(node)}.`,
    );
  }
  const kwargs: JsonObject = isJsonObject(node['kwargs']) ? {...node['kwargs']} : {};
  const inputs: KerasHistory[] = [];
  collectTensors(node['args'] ?? [], inputs, `${where} args`);
  // A layer called as layer(inputs=x) keeps its input among the kwargs.
  if (inputs.length === 0 && kwargs['inputs'] !== undefined) {
    collectTensors(kwargs['inputs'], inputs, `${where} kwargs.inputs`);
    delete kwargs['inputs'];
  }
  for (const [key, value] of Object.entries(kwargs)) {
    if (containsTensor(value)) {
      throw new Error(
        `${where}: the keyword argument '${key}' is a tensor; tfjs layers take tensors only as ` +
          `their positional inputs, so this model cannot be loaded in TensorFlow.js.`,
      );
    }
  }
  if (inputs.length === 0) {
    throw new Error(`${where}: the node has no input tensor; received ${describeValue(node)}.`);
  }
  return inputs.map(([layer, nodeIndex, tensorIndex]) => [layer, nodeIndex, tensorIndex, cloneJson(kwargs)]);
}

// Positional args hold a tensor, or a list of tensors for merge layers
// (Add, Concatenate), possibly nested; anything else has no tfjs meaning.
function collectTensors(value: Json, out: KerasHistory[], where: string): void {
  if (Array.isArray(value)) {
    value.forEach((v) => collectTensors(v, out, where));
    return;
  }
  const history = kerasHistory(value);
  if (history === null) {
    throw new Error(
      `${where}: expected Keras tensors (class_name '${KERAS_TENSOR}'); received ${describeValue(value)}. ` +
        `tfjs layers take only tensors as positional inputs.`,
    );
  }
  out.push(history);
}

function containsTensor(value: Json): boolean {
  if (Array.isArray(value)) {
    return value.some(containsTensor);
  }
  if (kerasHistory(value) !== null) {
    return true;
  }
  return isJsonObject(value) && Object.values(value).some(containsTensor);
}

function kerasHistory(value: Json): KerasHistory | null {
  if (!isJsonObject(value) || value['class_name'] !== KERAS_TENSOR) {
    return null;
  }
  const config = value['config'];
  const history = isJsonObject(config) ? config['keras_history'] : undefined;
  if (!isHistory(history)) {
    throw new Error(`a Keras tensor needs config.keras_history [layer, node, tensor]; received ${describeValue(value)}.`);
  }
  return [history[0], history[1], history[2]];
}

/** True for `[layerName, nodeIndex, tensorIndex]`. */
export function isHistory(value: Json | undefined): value is KerasHistory {
  return (
    Array.isArray(value) &&
    value.length === 3 &&
    typeof value[0] === 'string' &&
    value[0].length > 0 &&
    Number.isInteger(value[1]) &&
    (value[1] as number) >= 0 &&
    Number.isInteger(value[2]) &&
    (value[2] as number) >= 0
  );
}

/**
 * A model's `input_layers` / `output_layers` as the list of
 * `[layerName, nodeIndex, tensorIndex]` tfjs reads. Keras 3 may write a single
 * triple unwrapped or a dict of them (for dict inputs, in insertion order).
 */
export function toEndpointList(value: Json | undefined, where: string): KerasHistory[] {
  if (isHistory(value)) {
    return [[value[0], value[1], value[2]]];
  }
  const out: KerasHistory[] = [];
  const visit = (v: Json): void => {
    if (isHistory(v)) {
      out.push([v[0], v[1], v[2]]);
    } else if (Array.isArray(v)) {
      v.forEach(visit);
    } else if (isJsonObject(v)) {
      Object.values(v).forEach(visit);
    } else {
      throw new Error(`${where}: expected [layerName, nodeIndex, tensorIndex] entries; received ${describeValue(v)}.`);
    }
  };
  if (value === undefined || value === null) {
    throw new Error(`${where} is missing.`);
  }
  visit(value);
  return out;
}
