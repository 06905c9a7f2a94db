import {PAGE_DEFAULTS, pageSearch, parsePageOptions} from '../../../examples/web/page_options';

describe('training page options', () => {
  it('takes the defaults when the query is empty', () => {
    expect(parsePageOptions('')).toEqual(PAGE_DEFAULTS);
  });

  it('reads every parameter, and pageSearch writes back only what differs from the defaults', () => {
    const query = '?backend=webgl&model=mlp&experiment=B&train=192&test=500&epochs=3&batch=32&autostart=1';
    const options = parsePageOptions(query);
    expect(options).toEqual({
      backend: 'webgl', model: 'mlp', experiment: 'B', trainCount: 192, testCount: 500, epochs: 3, batchSize: 32, autostart: true,
    });
    expect(parsePageOptions(pageSearch(options))).toEqual(options);
    expect(pageSearch({...PAGE_DEFAULTS, epochs: 5})).toBe('?epochs=5');
    expect(pageSearch(PAGE_DEFAULTS)).toBe('');
  });

  it.each([
    ['?backend=metal', "Page parameter 'backend' must be one of auto, webgpu, webgl, wasm, cpu; received 'metal'."],
    ['?train=0', "Page parameter 'train' must be an integer from 1 to 60000; received '0'."],
    ['?epochs=1.5', "Page parameter 'epochs' must be an integer from 1 to 100; received '1.5'."],
    ['?batch=', "Page parameter 'batch' must be an integer from 1 to 1024; received ''."],
    ['?epoch=2', "Unknown page parameter 'epoch'; valid: backend, model, experiment, train, test, epochs, batch, autostart."],
  ])('rejects %s naming the parameter, the value and the valid ones', (query, message) => {
    expect(() => parsePageOptions(query)).toThrow(message);
  });
});
