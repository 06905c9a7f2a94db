import * as tf from '@tensorflow/tfjs';
import {describeValue} from '../dtypes';

/**
 * Builds an optimizer from its nested `{className, config}` (also
 * `{class_name, config}`), looking the class up in tfjs's serialization
 * registry, which holds the built-in optimizers and every class registered
 * with `tf.serialization.registerClass`. Does not mutate its input.
 *
 * @example
 * deserializeOptimizer('innerOptimizer', {className: 'Adam', config: {learningRate: 0.01, beta1: 0.9, beta2: 0.999}});
 */
export function deserializeOptimizer(argName: string, value: unknown): tf.Optimizer {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`${argName} must be a serialized optimizer {className, config}; received ${describeValue(value)}.`);
  }
  const obj = value as Record<string, unknown>;
  const className = obj['className'] ?? obj['class_name'];
  const config = obj['config'] ?? {};
  if (typeof className !== 'string' || config === null || typeof config !== 'object') {
    throw new Error(`${argName} must be a serialized optimizer {className, config}; received ${describeValue(value)}.`);
  }
  const classNameMap = tf.serialization.SerializationMap.getMap().classNameMap;
  // Own keys only: 'toString' or '__proto__' must not reach Object.prototype.
  const entry = Object.prototype.hasOwnProperty.call(classNameMap, className) ? classNameMap[className] : undefined;
  if (entry === undefined) {
    throw new Error(
      `${argName}: unknown optimizer class '${className}'. Registered optimizer classes: ` +
        `${knownOptimizerNames().join(', ')}; register a custom one with tf.serialization.registerClass(MyOptimizer).`,
    );
  }
  const [cls, fromConfig] = entry;
  const instance = fromConfig(cls, {...(config as tf.serialization.ConfigDict)});
  if (!(instance instanceof tf.Optimizer)) {
    throw new Error(`${argName}: class '${className}' is registered but is not a tf.Optimizer.`);
  }
  return instance;
}

function knownOptimizerNames(): string[] {
  const map = tf.serialization.SerializationMap.getMap().classNameMap;
  return Object.keys(map).filter((name) => {
    const cls = map[name]?.[0] as unknown as {prototype?: object} | undefined;
    return cls?.prototype !== undefined && 'applyGradients' in cls.prototype;
  });
}
