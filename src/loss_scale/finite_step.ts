import * as tf from '@tensorflow/tfjs';
import {allFinite} from './gradient_scaling';

/**
 * Runs one optimizer step (`apply`) as a transaction: if it throws, or leaves
 * a NaN or Inf in one of `checked` (the variables the gradients name), every
 * variable that existed before the step (model variables and optimizer slots)
 * gets its old value back, as does the optimizer's iteration count. Returns
 * whether the step was kept.
 *
 * Why after the fact: a finite gradient can still produce a non-finite value,
 * e.g. a variable stored as float16 (the `float16` policy) overflows past
 * 65504 to Inf, and only the write itself shows it. Holding the old values is
 * cheap: `assign` swaps a variable's data rather than overwriting it, so the
 * old data is kept by one extra reference per variable, without a copy.
 * Costs one scalar device read.
 *
 * Slots that the optimizer creates during a rolled-back step (its first step
 * for those variables) keep the values that step gave them.
 */
export function applyUnlessNonFinite(optimizer: tf.Optimizer, checked: readonly tf.Variable[], apply: () => void): boolean {
  const engine = tf.engine();
  const held = Object.values(engine.registeredVariables).map((v) => [v, shareData(engine, v)] as const);
  const counter = optimizer as unknown as {iterations_: number};
  const iterations = counter.iterations_;
  try {
    let kept = false;
    try {
      apply();
      kept = allFinite(checked);
    } finally {
      if (!kept) {
        for (const [variable, old] of held) {
          if (!variable.isDisposed && variable.dataId !== old.dataId) {
            variable.assign(old);
          }
        }
        counter.iterations_ = iterations;
      }
    }
    return kept;
  } finally {
    tf.dispose(held.map(([, old]) => old));
  }
}

// A second tensor on the variable's data, as the cpu backend's Identity kernel
// makes it (the wasm one copies): one more reference, no copy, on any backend.
function shareData(engine: ReturnType<typeof tf.engine>, v: tf.Variable): tf.Tensor {
  const t = engine.makeTensorFromDataId(v.dataId, v.shape, v.dtype);
  engine.backend.incRef(v.dataId);
  return t;
}
