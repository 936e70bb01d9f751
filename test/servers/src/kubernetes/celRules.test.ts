import { evaluateCelRule } from './celRules';

describe('evaluateCelRule', () => {
  const chartXorRef =
    '(has(self.chart) && !has(self.chartRef)) || (!has(self.chart) && has(self.chartRef))';

  it.each([
    [chartXorRef, { chart: {} }, true],
    [chartXorRef, { chartRef: {} }, true],
    [chartXorRef, { chart: {}, chartRef: {} }, false],
    [chartXorRef, {}, false],
    [
      "!has(self.retryInterval) || self.name != 'RemediateOnFailure'",
      { name: 'RemediateOnFailure', retryInterval: '1m' },
      false,
    ],
    [
      "!has(self.retryInterval) || self.name != 'RemediateOnFailure'",
      { name: 'Other', retryInterval: '1m' },
      true,
    ],
    ['has(self.a.b) && self.a.b == 3', { a: { b: 3 } }, true],
    ['has(self.a.b)', { a: 'scalar' }, false],
    [
      "self.type == 'github' || !has(self.commitStatusExpr)",
      { type: 'slack' },
      true,
    ],
  ])('%s on %j is %s', (rule, self, expected) => {
    expect(evaluateCelRule(rule, self)).toBe(expected);
  });

  it.each([
    'size(self.items) > 0',
    'self.items.all(i, i > 0)',
    "self.x.matches('a+')",
  ])('reports %s as unsupported instead of guessing', rule => {
    expect(evaluateCelRule(rule, { items: [1], x: 'a' })).toBeUndefined();
  });
});
