import * as tf from '@tensorflow/tfjs';
import {describeValue} from '../dtypes';

/** The variables a gradient container names, with their (non-null) gradients. */
export interface CheckedGradients {
  variables: tf.Variable[];
  tensors: tf.Tensor[];
}

/**
 * Checks a gradient container in the forms `tf.Optimizer.applyGradients`
 * takes — a `{variableName: gradient}` map or a `[{name, tensor}]` list —
 * and refuses the rest with the fix, before anything is applied: a list of
 * bare tensors (tfjs optimizers silently skip it: nothing names the
 * variables), names of no variable, gradients of the wrong shape. Null
 * gradients (variables without one) are allowed and left out.
 */
export function checkGradients(caller: string, grads: unknown): CheckedGradients {
  const entries = gradientEntries(caller, grads);
  const registered = tf.engine().registeredVariables;
  const variables: tf.Variable[] = [];
  const tensors: tf.Tensor[] = [];
  for (const [name, tensor] of entries) {
    if (tensor == null) {
      continue;
    }
    const variable = Object.prototype.hasOwnProperty.call(registered, name) ? registered[name] : undefined;
    if (variable === undefined) {
      throw new Error(
        `${caller}: no variable is named '${name}'; gradients must be keyed by the name of the variable they ` +
          `update (variable.name), as tf.variableGrads returns them.`,
      );
    }
    if (!tf.util.arraysEqual(variable.shape, tensor.shape)) {
      throw new Error(
        `${caller}: the gradient for '${name}' has shape ${JSON.stringify(tensor.shape)}, but the variable has ` +
          `shape ${JSON.stringify(variable.shape)}.`,
      );
    }
    variables.push(variable);
    tensors.push(tensor);
  }
  return {variables, tensors};
}

function gradientEntries(caller: string, grads: unknown): [string, tf.Tensor | null | undefined][] {
  const forms = `a {variableName: gradient} map or a [{name, tensor}] list, as tf.Optimizer.applyGradients takes`;
  if (Array.isArray(grads)) {
    return grads.map((entry: unknown, i) => {
      if (entry instanceof tf.Tensor) {
        throw new Error(
          `${caller} takes ${forms}; received a list of bare tensors (entry ${i} is ${describeValue(entry)}), ` +
            `which does not say which variable each gradient belongs to. Name them: ` +
            `grads.map((g, i) => ({name: vars[i].name, tensor: g})).`,
        );
      }
      const e = entry as {name?: unknown; tensor?: unknown} | null;
      if (e === null || typeof e !== 'object' || typeof e.name !== 'string' || !isGradient(e.tensor)) {
        throw new Error(`${caller} takes ${forms}; entry ${i} is ${describeValue(entry)}.`);
      }
      return [e.name, e.tensor];
    });
  }
  if (grads === null || typeof grads !== 'object' || grads instanceof tf.Tensor) {
    throw new Error(`${caller} takes ${forms}; received ${describeValue(grads)}.`);
  }
  return Object.keys(grads).map((name) => {
    const tensor = (grads as Record<string, unknown>)[name];
    if (!isGradient(tensor)) {
      throw new Error(`${caller} takes ${forms}; the gradient for '${name}' is ${describeValue(tensor)}.`);
    }
    return [name, tensor];
  });
}

function isGradient(value: unknown): value is tf.Tensor | null | undefined {
  return value == null || value instanceof tf.Tensor;
}
