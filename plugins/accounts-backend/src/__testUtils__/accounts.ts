import { NewAccount } from '../registry/AccountsStore';

/** A valid staging account for tests, with the given name and changes. */
export function testAccount(
  name: string,
  overrides: Partial<NewAccount> = {},
): NewAccount {
  return {
    name,
    displayName: `Account ${name}`,
    environment: 'staging',
    region: 'europe-west4',
    gcpProject: 'acme-staging',
    cluster: 'staging-eu',
    active: true,
    isUat: false,
    owner: 'group:default/platform',
    labels: { tier: 'gold' },
    services: [{ name: 'backend', values: { replicas: 2 } }],
    ...overrides,
  };
}
