const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * floor(log2 |v|) of a non-zero finite float32 value, exactly: read from the
 * exponent bits (float32 subnormals through Math.log2, exact for powers of 2
 * and their neighbourhood at that precision).
 *
 * @example
 * floorLog2(2 ** -24); // -24
 * floorLog2(0.75);     // -1
 */
export function floorLog2(value: number): number {
  f32[0] = value;
  const biased = ((u32[0] as number) >>> 23) & 0xff;
  if (biased === 0) {
    return Math.floor(Math.log2(Math.abs(f32[0] as number)));
  }
  return biased - 127;
}
