import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { isInside, repositoryPathProblem } from '../repositoryPaths';
import { stagingAcme, testGitopsConfig } from './__fixtures__/gitopsFixtures';
import { readGitopsConfig } from './gitopsConfig';
import { accountFolder, renderAccountFolder } from './renderAccountFolder';

const ESCAPES = [
  '../x',
  '..',
  '.',
  'a/b',
  '/abs',
  '%2e%2e',
  '%2E%2E%2Fetc',
  'a\\b',
  'a\u0000b',
  'A',
  'acme ',
  '',
  'ａｃｍｅ',
];

describe('account folder paths', () => {
  it('are <pathPrefix>/<account>', () => {
    const config = testGitopsConfig();
    expect(
      accountFolder(config, { name: 'acme', environment: 'staging' }),
    ).toBe('k8s/flux/staging/acme');
    config.environments[0].pathPrefix = 'clusters/staging-eu/tenants';
    expect(
      accountFolder(config, { name: 'acme', environment: 'staging' }),
    ).toBe('clusters/staging-eu/tenants/acme');
  });

  it.each(ESCAPES)('refuse the account name %j', name => {
    const config = testGitopsConfig();
    expect(() =>
      accountFolder(config, { name, environment: 'staging' }),
    ).toThrow(InputError);
    expect(() =>
      accountFolder(config, { name, environment: 'staging' }),
    ).toThrow(/^Invalid account name: .* must be a DNS-1123 label$/);
    expect(() =>
      renderAccountFolder(
        { account: stagingAcme({ name }), current: new Map() },
        config,
      ),
    ).toThrow(InputError);
  });

  it.each(ESCAPES)('refuse the environment name %j', environment => {
    const config = testGitopsConfig();
    config.environments.push({
      name: environment,
      pathPrefix: 'k8s/flux/other',
      imagePolicy: 'pinned',
    });
    expect(() => accountFolder(config, { name: 'acme', environment })).toThrow(
      /^Invalid environment: .* must be a DNS-1123 label$/,
    );
  });

  it.each([
    '../../etc',
    '/abs',
    'k8s/../../etc',
    'k8s/flux/',
    'k8s\\flux',
    '.git/hooks',
    '%2e%2e/x',
  ])('refuse the path prefix %j, in config and when rendering', pathPrefix => {
    const config = testGitopsConfig();
    config.environments[0].pathPrefix = pathPrefix;
    expect(() =>
      accountFolder(config, { name: 'acme', environment: 'staging' }),
    ).toThrow(/^Invalid pathPrefix of environment staging: /);
    const appConfig = new ConfigReader({
      accounts: {
        environments: [{ name: 'staging', gitops: { pathPrefix } }],
      },
    });
    expect(() => readGitopsConfig(appConfig)).toThrow(
      /^Invalid config accounts\.environments\[0\]\.gitops\.pathPrefix: /,
    );
  });

  it('put every rendered file directly inside the account folder', () => {
    const { folder, files } = renderAccountFolder(
      { account: stagingAcme(), current: new Map() },
      testGitopsConfig(),
    );
    for (const { name } of files) {
      const path = `${folder}/${name}`;
      expect(repositoryPathProblem(path)).toBeUndefined();
      expect(isInside(path, folder)).toBe(true);
      expect(name).toMatch(/^[a-z0-9][-a-z0-9]*\.yaml$/);
    }
  });
});
