import * as vm from 'vm';

import {Json, JsonObject} from '../../src/keras_format/json';
import {normalizeKerasTopology} from '../../src/keras_format/normalize_topology';
import {deepFreeze} from './deep_freeze';

const glorot3 = {module: 'keras.initializers', class_name: 'GlorotUniform', config: {seed: null}, registered_name: null};
const glorot2 = {class_name: 'GlorotUniform', config: {seed: null}};
const tensor = (layer: string, node = 0, index = 0) => ({
  class_name: '__keras_tensor__',
  config: {shape: [null, 4], dtype: 'float32', keras_history: [layer, node, index]},
});
const policy3 = (name: string) => ({module: 'keras', class_name: 'DTypePolicy', config: {name}, registered_name: null});
const functional = (layers: Json[], extra: JsonObject = {}): JsonObject => ({
  class_name: 'Functional',
  config: {name: 'f', trainable: true, layers, input_layers: [['in', 0, 0]], output_layers: [['out', 0, 0]], ...extra},
});
const inputLayer3 = {
  class_name: 'InputLayer',
  config: {batch_shape: [null, 4], dtype: 'float32', sparse: false, name: 'in'},
  name: 'in',
  inbound_nodes: [],
};
const inputLayer2 = {
  class_name: 'InputLayer',
  config: {dtype: 'float32', sparse: false, name: 'in', batch_input_shape: [null, 4]},
  name: 'in',
  inbound_nodes: [],
};
// Already in the form tfjs reads: the input is cloned and frozen, so it can
// also serve as the expected output.
const keras2Model = {
  class_name: 'Model',
  config: {
    name: 'm',
    layers: [
      inputLayer2,
      {class_name: 'Dense', config: {name: 'out', dtype: 'float32', units: 2}, name: 'out', inbound_nodes: [[['in', 0, 0, {}]]]},
    ],
    input_layers: [['in', 0, 0]],
    output_layers: [['out', 0, 0]],
  },
};
const layersOf = (topology: JsonObject): JsonObject[] => (topology['config'] as JsonObject)['layers'] as JsonObject[];

describe('normalizeKerasTopology', () => {
  // [case, input, expected output]: whole-topology comparisons, so a dropped
  // or stray field fails.
  const cases: Array<[string, JsonObject, JsonObject]> = [
    [
      'Keras 3 functional: batch_shape, {args, kwargs} nodes, module noise, DTypePolicy on Dense',
      functional([
        inputLayer3,
        {
          module: 'keras.layers',
          class_name: 'Dense',
          config: {name: 'out', dtype: policy3('mixed_float16'), units: 2, kernel_initializer: glorot3},
          registered_name: null,
          build_config: {input_shape: [null, 4]},
          name: 'out',
          inbound_nodes: [{args: [tensor('in')], kwargs: {}}],
        },
      ]),
      functional([
        inputLayer2,
        {
          class_name: 'Dense',
          config: {name: 'out', dtype: {class_name: 'Policy', config: {name: 'mixed_float16'}}, units: 2, kernel_initializer: glorot2},
          name: 'out',
          inbound_nodes: [[['in', 0, 0, {}]]],
        },
      ]),
    ],
    [
      'merge layers: a list of tensors in args becomes one entry per input, kwargs on each',
      functional([
        inputLayer3,
        {
          class_name: 'Add',
          config: {name: 'out', dtype: policy3('float32')},
          name: 'out',
          inbound_nodes: [{args: [[tensor('in'), tensor('in', 0, 0)]], kwargs: {training: false}}],
        },
      ]),
      functional([
        inputLayer2,
        {
          class_name: 'Add',
          config: {name: 'out', dtype: 'float32'},
          name: 'out',
          inbound_nodes: [[['in', 0, 0, {training: false}], ['in', 0, 0, {training: false}]]],
        },
      ]),
    ],
    [
      'a layer called as layer(inputs=x) (Keras 3 keeps x in kwargs)',
      functional([
        inputLayer3,
        {class_name: 'Flatten', config: {name: 'out'}, name: 'out', inbound_nodes: [{args: [], kwargs: {inputs: tensor('in')}}]},
      ]),
      functional([inputLayer2, {class_name: 'Flatten', config: {name: 'out'}, name: 'out', inbound_nodes: [[['in', 0, 0, {}]]]}]),
    ],
    ['Keras 2 functional (class Model) passes through unchanged', keras2Model, keras2Model],
    [
      'input_layers/output_layers written as a bare triple or a dict become lists of triples',
      functional([inputLayer2], {input_layers: ['in', 0, 0], output_layers: {y: ['in', 0, 0]}}),
      functional([inputLayer2], {input_layers: [['in', 0, 0]], output_layers: [['in', 0, 0]]}),
    ],
    [
      'dtype fields of layers without policy support and of InputLayers become storage dtypes',
      functional([
        {...inputLayer3, config: {...inputLayer3.config, dtype: 'int64'}},
        {...inputLayer3, name: 'in2', config: {...inputLayer3.config, name: 'in2', dtype: policy3('mixed_float16')}},
        {class_name: 'Embedding', config: {name: 'e', dtype: policy3('mixed_bfloat16')}, name: 'e', inbound_nodes: [{args: [tensor('in')], kwargs: {}}]},
        {class_name: 'Dropout', config: {name: 'd', dtype: 'mixed_float16'}, name: 'd', inbound_nodes: [{args: [tensor('e')], kwargs: {}}]},
        {class_name: 'Flatten', config: {name: 'out', dtype: {class_name: 'Policy', config: {name: 'int32'}}}, name: 'out', inbound_nodes: [{args: [tensor('d')], kwargs: {}}]},
      ]),
      functional([
        {...inputLayer2, config: {...inputLayer2.config, dtype: 'int32'}},
        {...inputLayer2, name: 'in2', config: {...inputLayer2.config, name: 'in2', dtype: 'float32'}},
        {class_name: 'Embedding', config: {name: 'e', dtype: 'float32'}, name: 'e', inbound_nodes: [[['in', 0, 0, {}]]]},
        {class_name: 'Dropout', config: {name: 'd', dtype: 'float32'}, name: 'd', inbound_nodes: [[['e', 0, 0, {}]]]},
        {class_name: 'Flatten', config: {name: 'out', dtype: 'int32'}, name: 'out', inbound_nodes: [[['d', 0, 0, {}]]]},
      ]),
    ],
    [
      'L1 and L2 regularizers become L1L2; a null dtype stays null',
      functional([
        inputLayer2,
        {
          class_name: 'Conv2D',
          config: {
            name: 'out',
            dtype: null,
            kernel_regularizer: {module: 'keras.regularizers', class_name: 'L2', config: {l2: 0.01}, registered_name: null},
            bias_regularizer: {class_name: 'L1', config: {l1: 0.5}},
          },
          name: 'out',
          inbound_nodes: [[['in', 0, 0, {}]]],
        },
      ]),
      functional([
        inputLayer2,
        {
          class_name: 'Conv2D',
          config: {
            name: 'out',
            dtype: null,
            kernel_regularizer: {class_name: 'L1L2', config: {l2: 0.01, l1: 0}},
            bias_regularizer: {class_name: 'L1L2', config: {l1: 0.5, l2: 0}},
          },
          name: 'out',
          inbound_nodes: [[['in', 0, 0, {}]]],
        },
      ]),
    ],
    [
      'Keras 2 Sequential without InputLayer: the first layer keeps its policy, a stock layer gets a storage dtype',
      {
        class_name: 'Sequential',
        config: {
          name: 's',
          layers: [{class_name: 'Dense', config: {name: 'dense', batch_input_shape: [null, 3], dtype: {class_name: 'Policy', config: {name: 'mixed_float16'}}, units: 1}}],
        },
      },
      {
        class_name: 'Sequential',
        config: {
          name: 's',
          layers: [{class_name: 'Dense', config: {name: 'dense', batch_input_shape: [null, 3], dtype: {class_name: 'Policy', config: {name: 'mixed_float16'}}, units: 1}}],
        },
      },
    ],
    [
      'legacy Sequential (config is the list of layers), a stock first layer with input_shape and a policy',
      {class_name: 'Sequential', config: [{class_name: 'Flatten', config: {name: 'f', input_shape: [5], dtype: 'mixed_float16'}}]},
      {class_name: 'Sequential', config: [{class_name: 'Flatten', config: {name: 'f', input_shape: [5], dtype: 'float32'}}]},
    ],
    [
      'Keras 3 Sequential: InputLayer first, model-level DTypePolicy, build_input_shape kept',
      {
        module: 'keras',
        class_name: 'Sequential',
        config: {
          name: 's',
          trainable: true,
          dtype: policy3('mixed_float16'),
          layers: [
            {module: 'keras.layers', class_name: 'InputLayer', config: {batch_shape: [null, 4], dtype: 'float32', name: 'in'}, registered_name: null},
            {module: 'keras.layers', class_name: 'Activation', config: {name: 'a', dtype: policy3('float32'), activation: 'softmax'}, registered_name: null},
          ],
          build_input_shape: [null, 4],
        },
        registered_name: null,
      },
      {
        class_name: 'Sequential',
        config: {
          name: 's',
          trainable: true,
          dtype: 'float32',
          layers: [
            {class_name: 'InputLayer', config: {batch_input_shape: [null, 4], dtype: 'float32', name: 'in'}},
            {class_name: 'Activation', config: {name: 'a', dtype: 'float32', activation: 'softmax'}},
          ],
          build_input_shape: [null, 4],
        },
      },
    ],
    [
      'a nested functional model is normalised recursively and keeps its own inbound nodes',
      functional([
        inputLayer3,
        {
          class_name: 'Functional',
          config: {
            name: 'inner',
            layers: [
              {class_name: 'InputLayer', config: {batch_shape: [null, 4], dtype: 'float32', name: 'inner_in'}, name: 'inner_in', inbound_nodes: []},
              {class_name: 'Dense', config: {name: 'inner_d', dtype: policy3('float16'), units: 1}, name: 'inner_d', inbound_nodes: [{args: [tensor('inner_in')], kwargs: {}}]},
            ],
            input_layers: [['inner_in', 0, 0]],
            output_layers: [['inner_d', 0, 0]],
          },
          name: 'out',
          inbound_nodes: [{args: [tensor('in')], kwargs: {}}],
        },
      ]),
      functional([
        inputLayer2,
        {
          class_name: 'Functional',
          config: {
            name: 'inner',
            layers: [
              {class_name: 'InputLayer', config: {dtype: 'float32', name: 'inner_in', batch_input_shape: [null, 4]}, name: 'inner_in', inbound_nodes: []},
              {class_name: 'Dense', config: {name: 'inner_d', dtype: 'float16', units: 1}, name: 'inner_d', inbound_nodes: [[['inner_in', 0, 0, {}]]]},
            ],
            input_layers: [['inner_in', 0, 0]],
            output_layers: [['inner_d', 0, 0]],
          },
          name: 'out',
          inbound_nodes: [[['in', 0, 0, {}]]],
        },
      ]),
    ],
  ];

  it.each(cases)('%s', (_, input, expected) => {
    const frozen = deepFreeze(JSON.parse(JSON.stringify(input)) as JsonObject);
    expect(normalizeKerasTopology(frozen)).toEqual(expected);
    // The same through the converter's {model_config} wrapper, with the rest kept.
    const wrapped = deepFreeze({keras_version: '3.4.1', backend: 'tensorflow', model_config: frozen, training_config: {loss: 'mse'}});
    expect(normalizeKerasTopology(wrapped)).toEqual({
      keras_version: '3.4.1',
      backend: 'tensorflow',
      model_config: expected,
      training_config: {loss: 'mse'},
    });
  });

  it('keeps the policy of every policy-aware layer, in the Keras 2 shape', () => {
    const names = ['Dense', 'Conv1D', 'Conv2D', 'Conv3D', 'Conv2DTranspose', 'SeparableConv2D', 'DepthwiseConv2D', 'Activation'];
    const topology = {
      class_name: 'Sequential',
      config: {name: 's', layers: names.map((n, i) => ({class_name: n, config: {name: `l${i}`, dtype: policy3('mixed_bfloat16')}}))},
    };
    for (const layer of layersOf(normalizeKerasTopology(deepFreeze(topology)))) {
      expect(layer['config']).toEqual({name: expect.any(String), dtype: {class_name: 'Policy', config: {name: 'mixed_bfloat16'}}});
    }
  });

  it('returns a result that shares no object with its input', () => {
    const input = functional([inputLayer2, {class_name: 'Dense', config: {name: 'out', units: 1}, name: 'out', inbound_nodes: [[['in', 0, 0, {}]]]}]);
    const out = normalizeKerasTopology(input);
    (layersOf(out)[1]!['config'] as JsonObject)['units'] = 99;
    ((layersOf(out)[1]!['inbound_nodes'] as Json[][])[0]![0] as Json[])[0] = 'changed';
    expect(input).toEqual(
      functional([inputLayer2, {class_name: 'Dense', config: {name: 'out', units: 1}, name: 'out', inbound_nodes: [[['in', 0, 0, {}]]]}]),
    );
  });

  it('builds its arrays in this realm, so tfjs\'s instanceof Array checks pass for JSON parsed elsewhere', () => {
    const input = functional([inputLayer3, {class_name: 'Dense', config: {name: 'out'}, name: 'out', inbound_nodes: [{args: [tensor('in')], kwargs: {}}]}]);
    const foreign = vm.runInNewContext(`(${JSON.stringify({class_name: 'Sequential', config: [input]})})`) as JsonObject;
    expect(foreign['config'] instanceof Array).toBe(false);
    const arrays: unknown[] = [];
    const collect = (v: unknown): void => {
      if (Array.isArray(v)) {
        arrays.push(v);
      }
      if (v !== null && typeof v === 'object') {
        Object.values(v).forEach(collect);
      }
    };
    collect(normalizeKerasTopology(foreign));
    expect(arrays.length).toBeGreaterThan(8);
    expect(arrays.every((a) => a instanceof Array)).toBe(true);
  });

  const errors: Array<[string, unknown, RegExp]> = [
    ['a non-object topology', 'model', /topology must be a model topology object.*received 'model'/],
    ['an unknown model class', {class_name: 'Graph', config: {}}, /class_name must be one of 'Sequential', 'Functional', 'Model'; received 'Graph'/],
    ['a Sequential without layers', {class_name: 'Sequential', config: {name: 's'}}, /model 's': a Sequential config needs a list of at least one layer/],
    [
      'a policy name tfjs cannot emulate, naming the layer',
      functional([inputLayer2, {class_name: 'Dense', config: {name: 'out', dtype: policy3('int8_from_float32')}, name: 'out', inbound_nodes: []}]),
      /layer 'out' \(Dense\): cannot read its dtype policy: .*'int8_from_float32'/,
    ],
    [
      'a bad dtype on a layer without policy support, naming the layer',
      functional([inputLayer2, {class_name: 'Dropout', config: {name: 'drop', dtype: 'complex128'}, name: 'drop', inbound_nodes: []}]),
      /layer 'drop' \(Dropout\): cannot read its dtype 'complex128'/,
    ],
    [
      'a tensor passed as a keyword argument',
      functional([inputLayer2, {class_name: 'Dense', config: {name: 'out'}, name: 'out', inbound_nodes: [{args: [tensor('in')], kwargs: {mask: tensor('in')}}]}]),
      /layer 'out' \(Dense\), inbound node 0: the keyword argument 'mask' is a tensor/,
    ],
    [
      'a non-tensor positional argument',
      functional([inputLayer2, {class_name: 'Dense', config: {name: 'out'}, name: 'out', inbound_nodes: [{args: [tensor('in'), 3], kwargs: {}}]}]),
      /inbound node 0 args: expected Keras tensors .*received 3/,
    ],
    ['missing output_layers', {class_name: 'Functional', config: {name: 'f', layers: [], input_layers: []}}, /model 'f': output_layers is missing/],
  ];
  it.each(errors)('throws a clear error for %s', (_, input, message) => {
    expect(() => normalizeKerasTopology(input)).toThrow(message);
  });
});
