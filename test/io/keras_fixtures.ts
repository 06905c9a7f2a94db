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
