import {FloatDtype} from '../dtypes';

/** The floating dtypes narrower than float32, which `cast` rounds to. */
export type NarrowDtype = Exclude<FloatDtype, 'float32'>;

export function isNarrowDtype(dtype: unknown): dtype is NarrowDtype {
  return dtype === 'float16' || dtype === 'bfloat16';
}
