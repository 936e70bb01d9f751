import { formatGoDuration, parseGoDuration } from './goDuration';

describe('Go durations', () => {
  it('parses what Flux specs write', () => {
    expect(parseGoDuration('5m')).toBe(300_000);
    expect(parseGoDuration('1m30s')).toBe(90_000);
    expect(parseGoDuration('1.5h')).toBe(5_400_000);
    expect(parseGoDuration('250ms')).toBe(250);
    expect(parseGoDuration('1h2m3s')).toBe(3_723_000);
    expect(parseGoDuration('0')).toBe(0);
  });

  it('refuses what Go refuses', () => {
    for (const text of ['5', '5 m', '5d', 'm', '-5m', '5m ', '']) {
      expect(parseGoDuration(text)).toBeUndefined();
    }
  });

  it('prints like Duration.String()', () => {
    expect(formatGoDuration(300_000)).toBe('5m0s');
    expect(formatGoDuration(90_000)).toBe('1m30s');
    expect(formatGoDuration(3_723_500)).toBe('1h2m3.5s');
    expect(formatGoDuration(3_600_000)).toBe('1h0m0s');
    expect(formatGoDuration(1_500)).toBe('1.5s');
    expect(formatGoDuration(250)).toBe('250ms');
    expect(formatGoDuration(0)).toBe('0s');
  });
});
