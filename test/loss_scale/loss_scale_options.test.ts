import {DEFAULT_LOSS_SCALE_OPTIONS, FLOAT32_MAX, checkOptions} from '../../src/loss_scale/loss_scale_options';

describe('checkOptions', () => {
  test("Keras's defaults", () => {
    expect(checkOptions()).toEqual({
      dynamic: true,
      initialScale: 32768,
      dynamicGrowthSteps: 2000,
      growthFactor: 2,
      backoffFactor: 0.5,
      minScale: 1,
      maxScale: FLOAT32_MAX,
    });
    expect(checkOptions({})).toEqual(DEFAULT_LOSS_SCALE_OPTIONS);
  });

  test('given values are kept; the result is frozen and the input untouched', () => {
    const input = {initialScale: 1024, dynamicGrowthSteps: 5, growthFactor: 3, backoffFactor: 0.25, minScale: 2, maxScale: 4096};
    const copy = {...input};
    const checked = checkOptions(input);
    expect(checked).toEqual({dynamic: true, ...copy});
    expect(input).toEqual(copy);
    expect(Object.isFrozen(checked)).toBe(true);
  });

  test('fixed scaling', () => {
    expect(checkOptions({dynamic: false, initialScale: 128})).toMatchObject({dynamic: false, initialScale: 128});
  });

  test('scales are rounded to the float32 the tensor will hold', () => {
    expect(checkOptions({dynamic: false, initialScale: 0.1}).initialScale).toBe(Math.fround(0.1));
  });

  const ERRORS: [string, unknown, RegExp][] = [
    ['not an object', 'dynamic', /options must be an object .*received 'dynamic'/],
    ['an array', [1], /options must be an object/],
    ['unknown option', {foo: 1}, /does not support the option 'foo'\. Valid options: dynamic, initialScale, dynamicGrowthSteps/],
    ['an inner optimizer option', {learningRate: 0.1}, /does not support the option 'learningRate': it belongs to the optimizer being wrapped\. Instead, set it on the inner optimizer, e\.g\. new LossScaleOptimizer\(tf\.train\.adam\(0\.001\)\)/],
    ['clipnorm', {clipnorm: 1}, /does not support the option 'clipnorm': it belongs to the optimizer being wrapped/],
    ['Keras spelling', {initial_scale: 8}, /option 'initial_scale'; use initialScale instead/],
    ['TF 2.3 spelling', {incrementPeriod: 8}, /option 'incrementPeriod'; use dynamicGrowthSteps instead/],
    ['multiplier', {multiplier: 3}, /use growthFactor \(and backoffFactor = 1 \/ multiplier\) instead/],
    // Object.prototype member names are unknown options, with no bogus hint.
    ['toString', {toString: 1}, /does not support the option 'toString'\. Valid options: dynamic, initialScale/],
    ['constructor', {constructor: 1}, /does not support the option 'constructor'\. Valid options: dynamic, initialScale/],
    ['dynamic not boolean', {dynamic: 'yes'}, /dynamic must be true or false; received 'yes'/],
    ['fixed without initialScale', {dynamic: false}, /initialScale is required when dynamic is false.*\{dynamic: false, initialScale: 128\}/],
    ['fixed with growth steps', {dynamic: false, initialScale: 8, dynamicGrowthSteps: 10},
      /dynamicGrowthSteps only applies to dynamic loss scaling, but dynamic is false \(received dynamicGrowthSteps: 10\)\. Remove dynamicGrowthSteps, or set dynamic: true/],
    ['fixed with maxScale', {dynamic: false, initialScale: 8, maxScale: 10}, /maxScale only applies to dynamic loss scaling/],
    ['initialScale 0', {initialScale: 0}, /initialScale must be a positive finite number no larger than 3\.4028234663852886e\+38 .*received 0/],
    ['initialScale negative', {initialScale: -2}, /initialScale must be a positive .*received -2/],
    ['initialScale NaN', {initialScale: NaN}, /initialScale must be a positive .*received NaN/],
    ['initialScale Inf', {initialScale: Infinity}, /initialScale must be a positive .*received Infinity/],
    ['initialScale beyond float32', {initialScale: 1e39}, /initialScale must be a positive .*received 1e\+39/],
    ['initialScale string', {initialScale: '8'}, /initialScale must be a positive .*received '8'/],
    ['initialScale float32 zero', {dynamic: false, initialScale: 1e-50}, /representable as a nonzero float32; received 1e-50/],
    ['growth steps 0', {dynamicGrowthSteps: 0}, /dynamicGrowthSteps must be an integer >= 1; received 0/],
    ['growth steps fractional', {dynamicGrowthSteps: 2.5}, /dynamicGrowthSteps must be an integer >= 1; received 2\.5/],
    ['growthFactor 1', {growthFactor: 1}, /growthFactor must be a finite number > 1; received 1/],
    ['growthFactor Inf', {growthFactor: Infinity}, /growthFactor must be a finite number > 1; received Infinity/],
    ['backoffFactor 1', {backoffFactor: 1}, /backoffFactor must be a number in \(0, 1\); received 1/],
    ['backoffFactor 0', {backoffFactor: 0}, /backoffFactor must be a number in \(0, 1\); received 0/],
    ['minScale 0', {minScale: 0}, /minScale must be a positive/],
    ['bounds reversed', {minScale: 16, maxScale: 8, initialScale: 8}, /minScale \(16\) and maxScale \(8\) are in the wrong order/],
    ['initial below floor', {initialScale: 0.5}, /initialScale \(0\.5\) must lie between minScale \(1\) and maxScale .*change initialScale or widen the bounds/],
    ['initial above cap', {initialScale: 64, maxScale: 32}, /initialScale \(64\) must lie between minScale \(1\) and maxScale \(32\)/],
  ];
  test.each(ERRORS)('refuses %s', (_name, options, message) => {
    expect(() => checkOptions(options as never)).toThrow(message);
  });
});
