import * as tf from '@tensorflow/tfjs';

import {layerDtypeKind} from '../../src/keras_format/layer_dtype_kind';
import {normalizeKerasTopology} from '../../src/keras_format/normalize_topology';
import {JsonObject} from '../../src/keras_format/json';

describe('layerDtypeKind', () => {
  it.each<[string, string]>([
    ...['Dense', 'Conv1D', 'Conv2D', 'Conv3D', 'Conv2DTranspose', 'SeparableConv2D', 'DepthwiseConv2D', 'Activation'].map(
      (n): [string, string] => [n, 'policy'],
    ),
    ['Cast', 'target'],
    // Every tfjs layer class is policy-aware (layers/registry_layers).
    ['Dropout', 'policy'],
    ['Flatten', 'policy'],
    ['MaxPooling2D', 'policy'],
    ['BatchNormalization', 'policy'],
    ['InputLayer', 'storage'],
    ['NoSuchLayer', 'storage'],
  ])('%s reads its dtype as a %s dtype', (className, kind) => {
    expect(layerDtypeKind(className)).toBe(kind);
  });

  it('follows the registry: a class registered over ours under the same name gets storage dtypes', () => {
    const map = tf.serialization.SerializationMap.getMap().classNameMap;
    const ours = map['Conv3D']!;
    class PlainConv3D extends tf.layers.Layer {
      static className = 'Conv3D';
    }
    try {
      tf.serialization.registerClass(PlainConv3D);
      expect(layerDtypeKind('Conv3D')).toBe('storage');
    } finally {
      map['Conv3D'] = ours;
    }
    expect(layerDtypeKind('Conv3D')).toBe('policy');
  });

  it("keeps the Cast layer's target dtype in a topology", () => {
    const topology = {
      class_name: 'Sequential',
      config: {
        name: 's',
        layers: [
          {class_name: 'InputLayer', config: {batch_input_shape: [null, 2], dtype: 'float32', name: 'in'}},
          {class_name: 'Cast', config: {name: 'c', dtype: 'bfloat16'}},
        ],
      },
    };
    const layers = (normalizeKerasTopology(topology)['config'] as JsonObject)['layers'] as JsonObject[];
    expect(layers[1]).toEqual({class_name: 'Cast', config: {name: 'c', dtype: 'bfloat16'}});
  });
});
