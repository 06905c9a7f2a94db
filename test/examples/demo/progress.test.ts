import {DemoProgress, estimateRemaining, formatDuration, progressBar} from '../../../examples/demo/progress';

describe('formatDuration', () => {
  it.each([
    [0, '0ms'],
    [850, '850ms'],
    [12345, '12.3s'],
    [185000, '3m05s'],
    [3725000, '1h02m'],
    [NaN, '?'],
    [-1, '?'],
  ])('%p ms -> %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('estimateRemaining and progressBar', () => {
  it('extrapolates the average pace', () => {
    expect(estimateRemaining(10000, 25, 100)).toBe(30000);
    expect(estimateRemaining(10000, 100, 100)).toBe(0);
    expect(estimateRemaining(10000, 0, 100)).toBeNaN();
  });

  it.each([
    [0, '[          ]'],
    [0.5, '[====>     ]'],
    [1, '[==========]'],
    [2, '[==========]'],
  ])('progressBar(%p, 10) = %s', (fraction, bar) => {
    expect(progressBar(fraction, 10)).toBe(bar);
  });
});

describe('DemoProgress', () => {
  function fakeStream(isTTY: boolean): {write(t: string): void; isTTY: boolean; text: string} {
    return {
      isTTY,
      text: '',
      write(t: string) {
        this.text += t;
      },
    };
  }

  it('prints epoch lines with the ETA of the whole demo', () => {
    let now = 1000;
    const stream = fakeStream(false);
    const progress = new DemoProgress(100, stream, () => now);
    for (let i = 1; i <= 25; i++) {
      progress.step('run', i, 25);
    }
    now += 10000;
    progress.line('epoch 1/4');
    expect(progress.stepsDone).toBe(25);
    expect(stream.text).toBe('epoch 1/4  ETA 30.0s\n'); // no bar when not a terminal
  });

  it('draws and then clears a bar on a terminal', () => {
    let now = 0;
    const stream = fakeStream(true);
    const progress = new DemoProgress(4, stream, () => now);
    now = 500;
    progress.step('float32', 1, 2);
    expect(stream.text).toContain('float32 [===========>            ] 1/2  ETA 1.5s');
    progress.note('done');
    expect(stream.text.endsWith('\r\x1b[2Kdone\n')).toBe(true);
  });
});
