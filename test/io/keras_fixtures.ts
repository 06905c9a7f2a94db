import * as fs from 'fs';
import * as path from 'path';

import {makeTempDir} from './temp_dir';

/** The folder of a fixture in test/fixtures/keras-models. */
export function fixtureDir(name: string): string {
  return path.join(__dirname, '..', 'fixtures', 'keras-models', name);
}

/** The parsed model.json of a fixture (a fresh copy each call). */
export function fixtureJson(name: string): Record<string, any> {
  return JSON.parse(fs.readFileSync(path.join(fixtureDir(name), 'model.json'), 'utf8'));
}

/**
 * A copy of fixture `name` in a temp dir, its model.json edited by `edit`
 * (the weights files are copied unchanged). Returns the directory.
 */
export function fixtureVariant(name: string, edit: (modelJson: Record<string, any>) => void): string {
  const dir = makeTempDir();
  for (const file of fs.readdirSync(fixtureDir(name))) {
    fs.copyFileSync(path.join(fixtureDir(name), file), path.join(dir, file));
  }
  const json = fixtureJson(name);
  edit(json);
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
  return dir;
}

/** Sets the `dtype` of every layer of class `className` in a model.json. */
export function setLayerDtypes(json: Record<string, any>, className: string, dtype: unknown): void {
  for (const layer of json['modelTopology']['model_config']['config']['layers']) {
    if (layer['class_name'] === className) {
      layer['config']['dtype'] = JSON.parse(JSON.stringify(dtype));
    }
  }
}

/**
 * Rewrites a tfjs-saved functional model.json (in place) into the form Keras
 * 3.4+ and the converter write: class 'Functional', InputLayer `batch_shape`,
 * `inbound_nodes` as `{args, kwargs}` (merge layers take a list of tensors),
 * a DTypePolicy object on every non-input layer, `module`/`registered_name`
 * on nested objects, a single output written as a bare triple.
 */
export function toKeras3Form(json: Record<string, any>): void {
  const model = json['modelTopology'];
  model['class_name'] = 'Functional';
  model['module'] = 'keras';
  const config = model['config'];
  const addModule = (v: any): void => {
    if (v !== null && typeof v === 'object') {
      if (typeof v['class_name'] === 'string' && 'config' in v) {
        v['module'] = 'keras.initializers';
        v['registered_name'] = null;
      }
      Object.values(v).forEach(addModule);
    }
  };
  for (const layer of config['layers']) {
    const c = layer['config'];
    if (layer['class_name'] === 'InputLayer') {
      c['batch_shape'] = c['batch_input_shape'];
      delete c['batch_input_shape'];
    } else {
      addModule(c);
      const name = typeof c['dtype'] === 'string' ? c['dtype'] : (c['dtype']?.['config']?.['name'] ?? 'float32');
      c['dtype'] = {module: 'keras', class_name: 'DTypePolicy', config: {name}, registered_name: null};
    }
    layer['module'] = 'keras.layers';
    layer['registered_name'] = null;
    layer['inbound_nodes'] = layer['inbound_nodes'].map((node: any[]) => {
      const tensors = node.map(([l, n, t]: [string, number, number]) => ({
        class_name: '__keras_tensor__',
        config: {shape: [null], dtype: 'float32', keras_history: [l, n, t]},
      }));
      return {args: tensors.length === 1 ? tensors : [tensors], kwargs: {}};
    });
  }
  if (config['output_layers'].length === 1) {
    config['output_layers'] = config['output_layers'][0];
  }
}
