import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { mkdtemp, readdir, rm } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import { DatabaseAccountsStore } from '../registry/DatabaseAccountsStore';
import { testAccount } from '../__testUtils__/accounts';
import { AccountsExporter } from './AccountsExporter';
import { FolderExportTarget } from './FolderExportTarget';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

function account(name: string, active = true) {
  return testAccount(name, {
    active,
    services: [{ name: 'backend', values: { note: 'a\n---\nb' } }],
  });
}

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'fleet-export-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function setup(minIntervalMs = 300) {
  const knex = await databases.init('SQLITE_3');
  const store = await DatabaseAccountsStore.create({
    database: mockServices.database({ knex }),
  });
  const target = new FolderExportTarget(folder);
  const exporter = new AccountsExporter({
    store,
    target,
    logger: mockServices.logger.mock(),
    minIntervalMs,
  });
  return { store, target, exporter };
}

describe('FolderExportTarget', () => {
  it('reads nothing before the first write, then the last document', async () => {
    const target = new FolderExportTarget(join(folder, 'nested'));
    await expect(target.read()).resolves.toBeUndefined();
    await target.write('{"a":1}\n');
    await target.write('{"a":2}\n');
    await expect(target.read()).resolves.toBe('{"a":2}\n');
    // Written through a temporary file renamed into place: none is left.
    expect(await readdir(join(folder, 'nested'))).toEqual(['accounts.json']);
    expect(target.describe()).toBe(`folder:${join(folder, 'nested')}`);
  });
});

describe('AccountsExporter', () => {
  it('writes every account, active and inactive, in the documented shape', async () => {
    const { store, exporter } = await setup();
    await store.createAccount(account('bravo', false), 'user:default/alice');
    await store.createAccount(account('alpha'), 'user:default/alice');
    const written = await exporter.exportNow();
    expect(written.schemaVersion).toBe(1);
    expect(Date.parse(written.generatedAt)).not.toBeNaN();
    expect(written.accounts.map(a => [a.name, a.active])).toEqual([
      ['alpha', true],
      ['bravo', false],
    ]);
    expect(Object.keys(written.accounts[0]).sort()).toEqual(
      [
        'active',
        'cluster',
        'displayName',
        'environment',
        'gcpProject',
        'isUat',
        'labels',
        'name',
        'owner',
        'region',
        'services',
        'updatedAt',
        'version',
      ].sort(),
    );
    expect(written.accounts[0].services[0].values).toEqual({
      note: 'a\n---\nb',
    });
    await expect(exporter.lastExport()).resolves.toEqual(written);
  });

  it('coalesces a burst of 50 changes into few writes holding all of them', async () => {
    const { store, exporter } = await setup(300);
    for (let i = 0; i < 50; i++) {
      await store.createAccount(account(`acct-${i}`), 'user:default/alice');
      exporter.requestExport();
    }
    await new Promise(resolve => setTimeout(resolve, 50));
    await exporter.flush();
    expect(exporter.writeCount).toBeGreaterThanOrEqual(1);
    expect(exporter.writeCount).toBeLessThanOrEqual(3);
    const last = await exporter.lastExport();
    expect(last?.accounts).toHaveLength(50);
  });

  it('leaves at least the minimum interval between two writes', async () => {
    const { exporter, target } = await setup(400);
    await exporter.exportNow();
    const first = JSON.parse((await target.read())!).generatedAt;
    await exporter.exportNow();
    const second = JSON.parse((await target.read())!).generatedAt;
    expect(Date.parse(second) - Date.parse(first)).toBeGreaterThanOrEqual(390);
    expect(exporter.writeCount).toBe(2);
  });

  it('exports one consistent snapshot while the registry changes under it', async () => {
    const knex = await databases.init('SQLITE_3');
    const store = await DatabaseAccountsStore.create({
      database: mockServices.database({ knex }),
    });
    const rows = Array.from({ length: 700 }, (_, i) =>
      testAccount(`acct-${String(i).padStart(4, '0')}`),
    );
    for (const row of rows) {
      await store.createAccount(row, 'user:default/alice');
    }
    // The first read of the registry lets a real write land right after it,
    // sorting before everything read so far (as a create from another
    // request would): a paged read would then see one account twice.
    let reads = 0;
    const racingStore = new Proxy(store, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          const result = await value.apply(target, args);
          reads += 1;
          if (reads === 1) {
            await target.createAccount(testAccount('aaa-first'), 'u:b');
          }
          return result;
        };
      },
    });
    const exporter = new AccountsExporter({
      store: racingStore,
      target: new FolderExportTarget(folder),
      logger: mockServices.logger.mock(),
      minIntervalMs: 0,
    });
    const names = (await exporter.exportNow()).accounts.map(a => a.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(rows.map(a => a.name));
  });
});
