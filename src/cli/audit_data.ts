// The batch the command-line audit runs on: random inputs of the model's
// input shapes by default, or a JSON file:
//
//   {"x": <nested array, [batch, ...input shape]>, "y": <nested array>}
//
// "x" (and "y") may instead be an object keyed by input (output) name for
// models with several inputs (outputs). "y" is optional; without it and with
// a loss, labels are random (one-hot rows for cross-entropy losses).

import * as tf from '@tensorflow/tfjs';

import {AuditLossName, isClassificationLoss} from '../audit/audit_loss';
import {nodeBuiltins} from '../io/node_builtins';
import {CliError} from './exit_codes';

export interface AuditBatch {
  readonly xs: tf.Tensor[];
  readonly ys: tf.Tensor[] | null;
}

/** Reads the data file; CliError('input') naming the problem. */
export function readDataFile(file: string, model: tf.LayersModel, command: string): AuditBatch {
  let json: unknown;
  try {
    json = JSON.parse(nodeBuiltins('tfjs-mixed-precision audit').fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new CliError('input', `${command}: cannot read the data file '${file}': ${(e as Error).message}`);
  }
  if (json === null || typeof json !== 'object' || !('x' in json)) {
    throw new CliError('input', `${command}: the data file '${file}' must be a JSON object with "x" (and optionally "y").`);
  }
  const {x, y} = json as {x: unknown; y?: unknown};
  // A Sequential names its inputs and outputs once built.
  if (model instanceof tf.Sequential && !model.built) {
    model.build();
  }
  const tensors: tf.Tensor[] = [];
  try {
    const xs = fromJson(x, model.inputNames, model.inputs, 'x', file, tensors);
    const ys = y === undefined ? null : fromJson(y, model.outputNames, model.outputs, 'y', file, tensors);
    return {xs, ys};
  } catch (e) {
    tf.dispose(tensors);
    throw e;
  }
}

function fromJson(
  value: unknown,
  names: readonly string[],
  symbolic: readonly tf.SymbolicTensor[],
  key: string,
  file: string,
  made: tf.Tensor[],
): tf.Tensor[] {
  const keyed = value !== null && typeof value === 'object' && !Array.isArray(value);
  if (!keyed && names.length !== 1) {
    throw new CliError('input', `data file '${file}': the model has ${names.length} ${key === 'x' ? 'inputs' : 'outputs'}; give "${key}" as an object keyed by ${names.map((n) => `'${n}'`).join(', ')}.`);
  }
  return names.map((name, i) => {
    const v = keyed ? (value as Record<string, unknown>)[name] : value;
    if (v === undefined) {
      throw new CliError('input', `data file '${file}': "${key}" has no entry '${name}' (valid: ${names.map((n) => `'${n}'`).join(', ')}).`);
    }
    let t: tf.Tensor;
    try {
      t = tf.tensor(v as number[]);
    } catch (e) {
      throw new CliError('input', `data file '${file}': "${key}"${keyed ? `.${name}` : ''} is not a rectangular array of numbers: ${(e as Error).message}`);
    }
    made.push(t);
    const expected = (symbolic[i] as tf.SymbolicTensor).shape;
    const fits = t.rank === expected.length && expected.every((d, j) => d === null || d === t.shape[j]);
    if (!fits) {
      throw new CliError('input', `data file '${file}': "${key}"${keyed ? `.${name}` : ''} has shape [${t.shape.join(', ')}]; the model expects [${expected.map((d) => d ?? 'batch').join(', ')}].`);
    }
    return t;
  });
}

/** Random inputs (uniform in [0, 1)) of the model's input shapes, and labels for `loss`. */
export function randomBatch(model: tf.LayersModel, batch: number, seed: number, loss: AuditLossName | null, command: string): AuditBatch {
  const shapeOf = (s: tf.SymbolicTensor, what: string): number[] => {
    const rest = s.shape.slice(1);
    if (rest.some((d) => d === null)) {
      throw new CliError('input', `${command}: ${what} '${s.name}' has shape [${s.shape.map((d) => d ?? 'null').join(', ')}] with unknown dimensions; give the data with --data.`);
    }
    return [batch, ...(rest as number[])];
  };
  const xs = model.inputs.map((s, i) => {
    if (s.dtype !== 'float32') {
      throw new CliError('input', `${command}: input '${s.name}' is ${s.dtype}; random data is only made for float32 inputs; give the data with --data.`);
    }
    return tf.randomUniform(shapeOf(s, 'input'), 0, 1, 'float32', seed + i);
  });
  if (loss === null) {
    return {xs, ys: null};
  }
  const ys = tf.tidy(() =>
    model.outputs.map((s, i) => {
      const shape = shapeOf(s, 'output');
      if (!isClassificationLoss(loss)) {
        return tf.randomUniform(shape, 0, 1, 'float32', seed + 100 + i);
      }
      const classes = shape[shape.length - 1] as number;
      const labels = tf.randomUniform(shape.slice(0, -1), 0, classes, 'int32', seed + 100 + i);
      if (loss === 'sparseCategoricalCrossentropy') {
        return tf.cast(labels, 'float32');
      }
      if (loss === 'binaryCrossentropy') {
        return tf.cast(tf.randomUniform(shape, 0, 2, 'int32', seed + 100 + i), 'float32');
      }
      return tf.cast(tf.oneHot(labels, classes), 'float32');
    }),
  );
  return {xs, ys};
}
