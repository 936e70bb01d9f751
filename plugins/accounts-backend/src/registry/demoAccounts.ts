import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { AccountsStore, NewAccount } from './AccountsStore';

const SEEDER = 'system:demo-seed';

function demo(
  name: string,
  displayName: string,
  placement: 'staging' | 'production-eu' | 'production-us',
  extra: Partial<NewAccount> = {},
): NewAccount {
  const where = {
    staging: ['staging', 'europe-west4', 'staging-eu'],
    'production-eu': ['production', 'europe-west4', 'production-eu'],
    'production-us': ['production', 'us-central1', 'production-us'],
  }[placement];
  return {
    name,
    displayName,
    environment: where[0],
    region: where[1],
    cluster: where[2],
    gcpProject: `acme-${where[0]}-${where[1].split('-')[0]}`,
    active: true,
    isUat: false,
    owner: 'group:default/platform',
    labels: {},
    services: [{ name: 'admin' }, { name: 'backend' }, { name: 'engine' }],
    ...extra,
  };
}

/** The demo fleet of the embedded defaults: a dozen customers. */
export const DEMO_ACCOUNTS: NewAccount[] = [
  demo('internal-staging', 'Internal staging', 'staging'),
  demo('qa-team', 'QA team', 'staging', { labels: { purpose: 'qa' } }),
  demo('demo-sales', 'Sales demo', 'staging', { labels: { purpose: 'demo' } }),
  demo('northwind', 'Northwind Traders', 'production-eu', { isUat: true }),
  demo('contoso', 'Contoso Ltd', 'production-eu', { labels: { tier: 'gold' } }),
  demo('fabrikam', 'Fabrikam Inc', 'production-eu'),
  demo('tailspin', 'Tailspin Toys', 'production-eu', {
    services: [{ name: 'admin' }, { name: 'backend' }],
  }),
  demo('adventure-works', 'Adventure Works', 'production-us', {
    isUat: true,
  }),
  demo('wide-world', 'Wide World Importers', 'production-us', {
    labels: { tier: 'gold' },
  }),
  demo('litware', 'Litware Inc', 'production-us'),
  demo('proseware', 'Proseware', 'production-us'),
  demo('blue-yonder', 'Blue Yonder Airlines', 'production-eu', {
    active: false,
    labels: { churned: '2026-10' },
  }),
];

/**
 * Seeds the demo fleet into an empty registry (the first start of the
 * embedded defaults). A registry holding any account is left alone.
 */
export async function seedDemoAccounts(
  store: AccountsStore,
  logger: LoggerService,
): Promise<number> {
  const { totalCount } = await store.listAccounts({ limit: 1, offset: 0 });
  if (totalCount > 0) {
    return 0;
  }
  let seeded = 0;
  for (const account of DEMO_ACCOUNTS) {
    try {
      await store.createAccount(account, SEEDER);
      seeded += 1;
    } catch (error) {
      // Another replica seeding at the same moment: fine.
      if (!(error instanceof ConflictError)) throw error;
    }
  }
  logger.info('Seeded demo accounts', { count: seeded });
  return seeded;
}
