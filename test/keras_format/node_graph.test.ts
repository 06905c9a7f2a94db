// Functional topologies on which tfjs would loop forever or fail with a
// JavaScript TypeError are refused by the normalizer, naming the layer.

import * as tf from '@tensorflow/tfjs';
import * as fs from 'fs';
import * as path from 'path';

import {loadLayersModel} from '../../src/io/load_layers_model';
import {normalizeKerasTopology} from '../../src/keras_format/normalize_topology';
import {fixtureVariant} from '../io/keras_fixtures';
import {removeTempDirs} from '../io/temp_dir';

afterAll(removeTempDirs);

const input = {class_name: 'InputLayer', config: {batch_input_shape: [null, 2], dtype: 'float32', name: 'in'}, name: 'in', inbound_nodes: []};
const dense = (name: string, nodes: unknown, extra: object = {}) => ({
  class_name: 'Dense',
  config: {name, units: 2, ...extra},
  name,
  inbound_nodes: nodes,
});
const model = (layers: unknown[], outputs: unknown = [['d', 0, 0]]) => ({
  class_name: 'Model',
  config: {name: 'm', layers, input_layers: [['in', 0, 0]], output_layers: outputs},
});

const cases: Array<[string, unknown, string]> = [
  ['an empty node (the hang of issue 12)', model([input, dense('d', [[]])]), "layer 'd' (Dense), inbound node 0 is []; a node lists one"],
  [
    'an input that is not [name, int, int, kwargs?]',
    model([input, dense('d', [[['in', null, 0, {}]]])]),
    `layer 'd' (Dense), inbound node 0: the input ["in",null,0,{}] is not [layerName, nodeIndex, tensorIndex]`,
  ],
  ['a non-string layer name', model([input, {...dense('d', [[['in', 0, 0]]]), config: {name: 7, units: 2}}]), 'config.name must be a non-empty string; received 7.'],
  [
    'a reference to a missing layer',
    model([input, dense('d', [[['nowhere', 0, 0, {}]]])]),
    `layer 'd' (Dense), inbound node 0: its input ["nowhere",0,0,{}] refers to layer 'nowhere', which is not in the model.`,
  ],
  [
    'a reference to a node that never exists',
    model([input, dense('d', [[['in', 3, 0, {}]]])]),
    `its input ["in",3,0,{}] refers to node 3 of layer 'in' (InputLayer), which has 1 node.`,
  ],
  [
    'a cycle',
    model([input, dense('a', [[['d', 0, 0, {}]]]), dense('d', [[['a', 0, 0, {}]]])]),
    "refers to node 0 of layer 'd' (Dense), which is never built: the layers' inputs form a cycle.",
  ],
  [
    'an output index past the outputs of a layer',
    model([input, dense('d', [[['in', 0, 4, {}]]])]),
    `its input ["in",0,4,{}] refers to output 4 of layer 'in' (InputLayer), which returns 1 tensor.`,
  ],
  ['two layers with one name', model([input, dense('d', [[['in', 0, 0]]]), dense('d', [[['in', 0, 0]]])]), "two layers are named 'd'"],
  ['an output node that never exists', model([input, dense('d', [[['in', 0, 0]]])], [['d', 1, 0]]), `output_layers lists ["d",1,0], which refers to node 1 of layer 'd' (Dense), which has 1 node.`],
  ['strides with a null', model([input, dense('d', [[['in', 0, 0]]], {strides: [1, null]})]), 'strides must be a positive integer or a list of them; received [1,null].'],
  ['an initializer whose config is a number', model([input, dense('d', [[['in', 0, 0]]], {kernel_initializer: {class_name: 'Zeros', config: 1.5}})]), "kernel_initializer.config of the Keras object 'Zeros' must be an object; received 1.5."],
  ['a Sequential without layers', {class_name: 'Sequential', config: {name: 's', layers: []}}, 'a Sequential config needs a list of at least one layer'],
];

describe('normalizeKerasTopology refuses graphs tfjs cannot build', () => {
  it.each(cases)('%s', (_, topology, message) => {
    expect(() => normalizeKerasTopology(topology)).toThrow(message);
  });

  it('accepts a layer shared at two depths, A(B(A(x)))', () => {
    const shared = model(
      [input, dense('a', [[['in', 0, 0]], [['b', 0, 0]]]), dense('b', [[['a', 0, 0]]]), dense('d', [[['a', 1, 0]]])],
      [['d', 0, 0]],
    );
    expect(() => normalizeKerasTopology(shared)).not.toThrow();
  });
});

describe('loadLayersModel on the Keras 3 fixture with an empty inbound node', () => {
  it('fails at once, naming the file and the layer, leaking nothing (tfjs looped forever)', async () => {
    const dir = fixtureVariant('keras3.4-dense-dtypepolicy', (json) => {
      json['modelTopology']['model_config']['config']['layers'][1]['inbound_nodes'] = [[]];
    });
    expect(fs.existsSync(path.join(dir, 'model.json'))).toBe(true);
    const before = tf.memory().numTensors;
    await expect(loadLayersModel(dir)).rejects.toThrow(
      `loadLayersModel: cannot read the topology of '${dir}': layer 'dense' (Dense), inbound node 0 is []`,
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});
