"""numpy's float16 conversion of float32 bit patterns, for bench/verify_numpy.ts.

Usage: python3 bench/verify_numpy.py IN OUT
Reads little-endian float32 values from IN, writes x.astype(float16) widened
back to float32 to OUT. numpy's conversion is IEEE round-to-nearest-even with
subnormals and overflow to infinity: an external reference for our kernels.
"""
import sys

import numpy as np


def main() -> None:
    source, target = sys.argv[1], sys.argv[2]
    x = np.fromfile(source, dtype="<f4")
    with np.errstate(over="ignore", invalid="ignore"):
        y = x.astype(np.float16).astype(np.float32)
    y.astype("<f4").tofile(target)


if __name__ == "__main__":
    main()
