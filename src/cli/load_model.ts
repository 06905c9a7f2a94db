import * as tf from '@tensorflow/tfjs';

import {loadLayersModel} from '../io/load_layers_model';
import {nodeBuiltins} from '../io/node_builtins';
import {CliError} from './exit_codes';

/** Checks that `path` (a model.json or a directory holding one) exists. */
export function checkModelPath(path: string, command: string): void {
  if (!nodeBuiltins('tfjs-mixed-precision').fs.existsSync(path)) {
    throw new CliError('input', `${command}: no such file or directory: '${path}'. Give a model.json or the directory holding it.`);
  }
}

/** The layers model at `path`, or a CliError('input') saying why not. */
export async function loadModel(path: string, command: string): Promise<tf.LayersModel> {
  checkModelPath(path, command);
  try {
    return await loadLayersModel(path);
  } catch (e) {
    throw new CliError('input', `${command}: cannot load a tfjs layers model from '${path}': ${(e as Error).message}`);
  }
}
