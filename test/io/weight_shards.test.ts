import {shardFileName, splitWeightData} from '../../src/io/weight_shards';
import {bytesOf} from './temp_dir';

const bytes = (n: number, from = 0) => new Uint8Array(Array.from({length: n}, (_, i) => (from + i) % 256)).buffer;

describe('shardFileName', () => {
  it.each([
    [0, 1, 'group1-shard1of1.bin'],
    [0, 3, 'group1-shard1of3.bin'],
    [2, 3, 'group1-shard3of3.bin'],
  ])('shard %i of %i is %s', (i, n, name) => expect(shardFileName(i, n)).toBe(name));
});

describe('splitWeightData', () => {
  it.each([
    ['one buffer, one shard', bytes(10), Infinity, [10]],
    ['one buffer, exact multiple', bytes(12), 4, [4, 4, 4]],
    ['one buffer, remainder', bytes(10), 4, [4, 4, 2]],
    ['a list of buffers (tfjs 4.22 weightData) joined then split', [bytes(3), bytes(5, 3), bytes(2, 8)], 4, [4, 4, 2]],
    ['a list of buffers, one shard', [bytes(3), bytes(5, 3)], Infinity, [8]],
    ['no weights still gives one (empty) file', new ArrayBuffer(0), Infinity, [0]],
  ] as Array<[string, ArrayBuffer | ArrayBuffer[], number, number[]]>)('%s', (_, data, size, sizes) => {
    const shards = splitWeightData(data, size);
    expect(shards.map((s) => s.byteLength)).toEqual(sizes);
    expect(bytesOf(shards)).toEqual(bytesOf(data));
  });
});
