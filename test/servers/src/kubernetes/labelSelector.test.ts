import { KubeApiError } from './ClusterStore';
import { matchesLabels, parseLabelSelector } from './labelSelector';

const labels = {
  app: 'web',
  tier: 'frontend',
  'example.com/owner': 'team-a',
  replicas: '3',
};

function matches(selector: string): boolean {
  return matchesLabels(parseLabelSelector(selector), labels);
}

describe('label selectors', () => {
  it.each([
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app = web , tier=frontend', true],
    ['app=db', false],
    ['app!=db', true],
    ['missing!=x', true],
    ['app in (db, web)', true],
    ['app in (db)', false],
    ['app notin (db)', true],
    ['missing notin (db)', true],
    ['app notin (web)', false],
    ['example.com/owner', true],
    ['missing', false],
    ['!missing', true],
    ['!app', false],
    ['replicas>2', true],
    ['replicas<3', false],
    ['app=', false],
  ])('%j matches: %s', (selector, expected) => {
    expect(matches(selector)).toBe(expected);
  });

  it.each([
    'app in web',
    'app in (web',
    'app=web,',
    ',app',
    'a b',
    'app=web=x',
    '-bad-=x',
    'app=not a value',
    'app>x',
    'app in (web) extra',
  ])('refuses %j with 400 BadRequest', selector => {
    let error: unknown;
    try {
      parseLabelSelector(selector);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KubeApiError);
    expect(error).toMatchObject({ status: 400, reason: 'BadRequest' });
    expect((error as Error).message).toMatch(/^unable to parse requirement: /);
  });
});
