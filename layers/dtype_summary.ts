import * as tf from '@tensorflow/tfjs';

import {dtypeOf} from '../src/logical_dtype';
import {PolicyAware} from './policy_layer';

/**
 * Prints, for each layer of a model, its policy, compute and variable dtypes
 * and the logical dtype of its output: the dtype information `model.summary()`
 * cannot show (tfjs's summary prints only name, class, shapes and parameter
 * counts, with no hook for extra columns). Returns the lines it printed.
 *
 * @example
 * mp.layers.dtypeSummary(model);
 * // dense_1 (Dense)   policy mixed_float16   compute float16   variables float32   output float16
 */
export function dtypeSummary(model: tf.LayersModel, printFn: (line: string) => void = console.log): string[] {
  const rows = model.layers.map((layer) => {
    const p = layer as tf.layers.Layer & Partial<PolicyAware> & {targetDtype?: string};
    let output = 'multiple';
    try {
      output = String(dtypeOf(layer.output as tf.SymbolicTensor));
    } catch {
      // A layer used at several nodes has no single output.
    }
    return [
      `${layer.name} (${layer.getClassName()})`,
      p.policy === undefined ? '-' : p.policy.name,
      p.computeDtype ?? (p.targetDtype !== undefined ? `cast to ${p.targetDtype}` : '-'),
      layer.weights.length === 0 ? '-' : (p.variableDtype ?? 'float32'),
      output,
    ];
  });
  const header = ['Layer (type)', 'Policy', 'Compute', 'Variables', 'Output'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)) + 2);
  const format = (r: string[]) => r.map((cell, i) => cell.padEnd(widths[i] as number)).join('').trimEnd();
  const lines = [format(header), '-'.repeat(widths.reduce((a, b) => a + b, 0)), ...rows.map(format)];
  lines.forEach((line) => printFn(line));
  return lines;
}
