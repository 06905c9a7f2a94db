import {ConvAxis, filterGradAxis, inputGradAxis, inputGradPhaseAxis} from '../../src/conv_backprop/backprop_geometry';

const axis = (inSize: number, outSize: number, filterSize: number, stride: number, dilation: number,
    padBefore: number): ConvAxis => ({inSize, outSize, filterSize, stride, dilation, padBefore});

test.each([
  ['same 3 taps', axis(5, 5, 3, 1, 1, 1), {cropBefore: 0, keep: 5, padBefore: 1, padAfter: 1}],
  ['valid stride 2, last row unread', axis(6, 2, 3, 2, 1, 0), {cropBefore: 0, keep: 5, padBefore: 0, padAfter: 0}],
  ['dilation 2 same', axis(7, 7, 3, 1, 2, 2), {cropBefore: 0, keep: 7, padBefore: 2, padAfter: 2}],
  ['only padding is read', axis(2, 1, 1, 10, 1, 5), {cropBefore: 0, keep: -4, padBefore: 5, padAfter: 0}],
])('filterGradAxis: %s', (_name, a, expected) => {
  expect(filterGradAxis(a)).toEqual(expected);
});

test.each([
  ['same 3 taps', axis(5, 5, 3, 1, 1, 1), {cropBefore: 0, keep: 5, padBefore: 1, padAfter: 1}],
  // dy dilated to 2 * 3 = 6 rows (the last one zero); 7 outputs of a 3-tap filter.
  ['same stride 2', axis(6, 3, 3, 2, 1, 0), {cropBefore: 0, keep: 6, padBefore: 2, padAfter: 0}],
  ['valid stride 2, last row unread', axis(6, 2, 3, 2, 1, 0), {cropBefore: 0, keep: 4, padBefore: 2, padAfter: 2}],
  ['pad larger than the filter: crop', axis(2, 7, 1, 1, 1, 5), {cropBefore: 5, keep: 2, padBefore: 0, padAfter: 0}],
])('inputGradAxis: %s', (_name, a, expected) => {
  expect(inputGradAxis(a)).toEqual(expected);
});

test.each([
  // rows 0, 2, 4 = dy[q] * w[0] + dy[q - 1] * w[2]: taps read [2, 0], one zero row before.
  ['same stride 2, even rows', axis(6, 3, 3, 2, 1, 0), 0,
    {taps: [2, 0], placement: {cropBefore: 0, keep: 3, padBefore: 1, padAfter: 0}, outSize: 3}],
  ['same stride 2, odd rows', axis(6, 3, 3, 2, 1, 0), 1,
    {taps: [1], placement: {cropBefore: 0, keep: 3, padBefore: 0, padAfter: 0}, outSize: 3}],
  ['1 tap stride 2: the odd rows get nothing', axis(5, 3, 1, 2, 1, 0), 1,
    {taps: [], placement: {cropBefore: 1, keep: 2, padBefore: 0, padAfter: 0}, outSize: 3}],
  // rows 2, 5, 8 = dy[q + 1] * w[0]: dy row 0 is never read, row 3 does not exist.
  ['stride 3, pad 1, phase 2', axis(7, 3, 3, 3, 1, 1), 2,
    {taps: [0], placement: {cropBefore: 1, keep: 2, padBefore: 0, padAfter: 1}, outSize: 3}],
])('inputGradPhaseAxis: %s', (_name, a, phase, expected) => {
  expect(inputGradPhaseAxis(a, phase)).toEqual(expected);
});
