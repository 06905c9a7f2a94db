import {DEFAULT_OPTIONS, DemoUsageError, QUICK_OPTIONS, parseDemoOptions} from '../../../examples/demo/demo_options';

describe('parseDemoOptions', () => {
  it('gives the defaults without arguments and the quick sizes with --quick', () => {
    expect(parseDemoOptions([])).toEqual(DEFAULT_OPTIONS);
    expect(parseDemoOptions(['--quick'])).toEqual({...DEFAULT_OPTIONS, ...QUICK_OPTIONS});
    expect(parseDemoOptions(['--quick']).trainCount).toBeLessThan(DEFAULT_OPTIONS.trainCount / 10);
  });

  it('reads every option, in any order, after --quick too', () => {
    const options = parseDemoOptions([
      '--model', 'mlp', '--quick', '--epochs', '2', '--train', '1000', '--test', '300',
      '--small-loss', 'off', '--backend', 'cpu', '--out', 'tmp/report',
    ]);
    expect(options).toEqual({
      ...DEFAULT_OPTIONS,
      model: 'mlp',
      epochs: 2,
      trainCount: 1000,
      testCount: 300,
      smallLossExponent: null,
      backend: 'cpu',
      outDir: 'tmp/report',
      quick: true,
    });
    expect(parseDemoOptions(['--small-loss', '10']).smallLossExponent).toBe(10);
  });

  it.each([
    [['--model', 'resnet'], "--model must be one of convnet, mlp; received 'resnet'."],
    [['--epochs', '0'], "--epochs must be an integer from 1 to 1000; received '0'."],
    [['--train', '60001'], "--train must be an integer from 1 to 60000; received '60001'."],
    [['--small-loss', '2.5'], "--small-loss must be an integer from 1 to 30; received '2.5'."],
    [['--backend', 'webgl'], "--backend must be one of tensorflow, wasm, cpu; received 'webgl'."],
    [['--epochs'], '--epochs needs a value.'],
    [['--epochs', '--quick'], '--epochs needs a value.'],
    [['--fast', '1'], "Unknown option '--fast'."],
  ])('rejects %j', (argv, message) => {
    expect(() => parseDemoOptions(argv)).toThrow(message);
  });

  it('throws DemoUsageError, with the usage for an unknown option', () => {
    expect(() => parseDemoOptions(['--epochs', '0'])).toThrow(DemoUsageError);
    expect(() => parseDemoOptions(['--fast', '1'])).toThrow(/Usage: npx ts-node --transpile-only examples\/train_mnist.ts/);
  });
});
