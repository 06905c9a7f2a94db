import {toEndpointList, toKeras2InboundNodes} from '../../src/keras_format/inbound_nodes';
import {Json} from '../../src/keras_format/json';
import {deepFreeze} from './deep_freeze';

const t = (layer: string, node = 0, index = 0): Json => ({
  class_name: '__keras_tensor__',
  config: {shape: [null, 2], dtype: 'float32', keras_history: [layer, node, index]},
});

describe('toKeras2InboundNodes', () => {
  const cases: Array<[string, Json | undefined, Json[]]> = [
    ['no nodes (an InputLayer)', [], []],
    ['missing', undefined, []],
    ['one input', [{args: [t('a')], kwargs: {}}], [[['a', 0, 0, {}]]]],
    ['node and tensor indices kept', [{args: [t('a', 2, 1)], kwargs: {}}], [[['a', 2, 1, {}]]]],
    ['a merge layer: list of tensors', [{args: [[t('a'), t('b'), t('c')]], kwargs: {}}], [[['a', 0, 0, {}], ['b', 0, 0, {}], ['c', 0, 0, {}]]]],
    ['plain kwargs copied onto each input', [{args: [t('a'), t('b')], kwargs: {training: true}}], [[['a', 0, 0, {training: true}], ['b', 0, 0, {training: true}]]]],
    ['a shared layer called twice', [{args: [t('a')], kwargs: {}}, {args: [t('b')], kwargs: {}}], [[['a', 0, 0, {}]], [['b', 0, 0, {}]]]],
    ['the inputs keyword', [{args: [], kwargs: {inputs: [t('a'), t('b')], training: false}}], [[['a', 0, 0, {training: false}], ['b', 0, 0, {training: false}]]]],
    ['Keras 2 nodes unchanged', [[['a', 0, 0, {}], ['b', 1, 0, {}]]], [[['a', 0, 0, {}], ['b', 1, 0, {}]]]],
  ];
  it.each(cases)('%s', (_, nodes, expected) => {
    expect(toKeras2InboundNodes(nodes === undefined ? undefined : deepFreeze(nodes), 'L')).toEqual(expected);
  });

  it.each([
    ['not a list', {args: []}, /^L: inbound_nodes must be a list/],
    ['neither form', [{foo: 1}], /^L, inbound node 0: expected a Keras 2 list or a Keras 3 \{args, kwargs\} node/],
    ['no tensor at all', [{args: [], kwargs: {}}], /^L, inbound node 0: the node has no input tensor/],
    ['a tensor kwarg', [{args: [t('a')], kwargs: {mask: t('m')}}], /the keyword argument 'mask' is a tensor/],
    ['a tensor deep in a kwarg', [{args: [t('a')], kwargs: {extra: {x: [t('m')]}}}], /the keyword argument 'extra' is a tensor/],
    ['a broken keras_history', [{args: [{class_name: '__keras_tensor__', config: {keras_history: ['a', 0]}}], kwargs: {}}], /keras_history \[layer, node, tensor\]/],
  ] as Array<[string, Json, RegExp]>)('throws for %s', (_, nodes, message) => {
    expect(() => toKeras2InboundNodes(nodes, 'L')).toThrow(message);
  });
});

describe('toEndpointList', () => {
  it.each([
    ['a list of triples', [['a', 0, 0], ['b', 0, 1]], [['a', 0, 0], ['b', 0, 1]]],
    ['a bare triple', ['a', 0, 0], [['a', 0, 0]]],
    ['a dict', {x: ['a', 0, 0], y: ['b', 0, 0]}, [['a', 0, 0], ['b', 0, 0]]],
    ['a nested list', [[['a', 0, 0]], [['b', 0, 0]]], [['a', 0, 0], ['b', 0, 0]]],
  ] as Array<[string, Json, Json]>)('%s', (_, value, expected) => {
    expect(toEndpointList(deepFreeze(value), 'input_layers')).toEqual(expected);
  });

  it('throws naming the field for bad entries', () => {
    expect(() => toEndpointList([['a', 0]], 'output_layers')).toThrow(/^output_layers: expected \[layerName, nodeIndex, tensorIndex\] entries; received 'a'/);
    expect(() => toEndpointList(undefined, 'model m: input_layers')).toThrow(/^model m: input_layers is missing/);
  });
});
