import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { Storage } from '@google-cloud/storage';
import { GcsTestServer } from '@fleet-portal/test-servers';
import { DatabaseAccountsStore } from '../registry/DatabaseAccountsStore';
import { testAccount } from '../__testUtils__/accounts';
import { AccountsDocument } from './accountsDocument';
import { AccountsExporter } from './AccountsExporter';
import { GcsExportTarget, GcsExportTargetOptions } from './GcsExportTarget';

// The real @google-cloud/storage client talking HTTP to a local server that
// speaks the Cloud Storage JSON API.

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const BUCKET = 'fleet-exports';
const OBJECT = 'accounts.json';

let server: GcsTestServer;
beforeEach(async () => {
  server = await GcsTestServer.start({ buckets: [BUCKET] });
});
afterEach(async () => {
  await server.stop();
});

function gcsTarget(options: Partial<GcsExportTargetOptions> = {}) {
  return new GcsExportTarget({
    bucket: BUCKET,
    apiEndpoint: server.url,
    anonymous: true,
    // The client's shortest back-off (1 s from the first retry on).
    maxRetryDelayMs: 1000,
    ...options,
  });
}

async function setup(
  options: {
    minIntervalMs?: number;
    target?: Partial<GcsExportTargetOptions>;
  } = {},
) {
  const knex = await databases.init('SQLITE_3');
  const store = await DatabaseAccountsStore.create({
    database: mockServices.database({ knex }),
  });
  const target = gcsTarget(options.target);
  const logger = mockServices.logger.mock();
  const exporter = new AccountsExporter({
    store,
    target,
    logger,
    minIntervalMs: options.minIntervalMs ?? 300,
  });
  return { store, target, exporter, logger };
}

function stored(): AccountsDocument & { generation: number } {
  const object = server.object(BUCKET, OBJECT);
  if (!object) throw new Error('no object stored');
  return {
    ...JSON.parse(object.data.toString('utf8')),
    generation: object.generation,
  };
}

const uploads = () => server.requestsMatching({ kind: 'upload' });

describe('GcsExportTarget', () => {
  it('writes, then reads the last document back', async () => {
    const target = gcsTarget();
    expect(target.describe()).toBe(`gcs://${BUCKET}/${OBJECT}`);
    await expect(target.read()).resolves.toBeUndefined();

    await target.write('{"a":1}\n');
    await target.write('{"a":2}\n');
    await expect(target.read()).resolves.toBe('{"a":2}\n');

    // The first write looks up the generation (none: 404) and writes only
    // if the object still does not exist; the second is conditioned on the
    // generation the first produced.
    const [first, second] = uploads();
    expect(
      server.requests.map(r => [r.method, r.kind, r.status]).slice(0, 4),
    ).toEqual([
      ['GET', 'download', 404],
      ['GET', 'metadata', 404],
      ['POST', 'upload', 200],
      ['POST', 'upload', 200],
    ]);
    expect(first.query.ifGenerationMatch).toBe('0');
    expect(Number(second.query.ifGenerationMatch)).toBeGreaterThan(0);
    expect(Number(second.query.ifGenerationMatch)).toBeLessThan(
      stored().generation,
    );
    expect(server.object(BUCKET, OBJECT)?.contentType).toBe('application/json');
  });

  it('after a second writer, gets 412, re-reads and writes a fresh snapshot of the registry', async () => {
    const { store, exporter, logger } = await setup({ minIntervalMs: 300 });
    await store.createAccount(testAccount('alpha'), 'user:default/alice');
    await exporter.exportNow();

    // Another writer (its own client) replaces the object meanwhile.
    const other = new Storage({ apiEndpoint: server.url });
    await other
      .bucket(BUCKET)
      .file(OBJECT)
      .save('{"written":"elsewhere"}', { resumable: false });
    const foreignGeneration = stored().generation;

    await store.createAccount(testAccount('bravo'), 'user:default/alice');
    const exporting = exporter.exportNow();
    // While the exporter waits to write again after the 412, the registry
    // changes once more: the retry must carry that change too.
    while (uploads().every(r => r.status !== 412)) {
      await new Promise(resolve => setTimeout(resolve, 5));
    }
    await store.createAccount(testAccount('charlie'), 'user:default/alice');
    const written = await exporting;

    // Ours, the other writer's, then our conflicting write and its retry.
    expect(uploads().map(r => r.status)).toEqual([200, 200, 412, 200]);
    const attempts = uploads().slice(2);
    const [conflicting, retry] = attempts;
    const stale = JSON.parse(conflicting.media!.toString('utf8'));
    expect(stale.accounts.map((a: { name: string }) => a.name)).toEqual([
      'alpha',
      'bravo',
    ]);
    // The retry re-read the generation and was conditioned on it.
    const metadataReads = server.requestsMatching({ kind: 'metadata' });
    expect(metadataReads.at(-1)!.receivedAt).toBeGreaterThanOrEqual(
      conflicting.receivedAt,
    );
    expect(Number(retry.query.ifGenerationMatch)).toBe(foreignGeneration);
    // ...and waited out the interval like any other write.
    expect(retry.receivedAt - conflicting.receivedAt).toBeGreaterThanOrEqual(
      290,
    );

    const final = stored();
    expect(final.generation).toBeGreaterThan(foreignGeneration);
    expect(final.accounts.map(a => a.name)).toEqual([
      'alpha',
      'bravo',
      'charlie',
    ]);
    expect(final.generatedAt).toBe(written.generatedAt);
    expect(logger.warn).toHaveBeenCalledWith(
      'accounts.json changed underneath; writing a fresh snapshot',
      expect.objectContaining({ target: `gcs://${BUCKET}/${OBJECT}` }),
    );
  });

  it('turns a burst of 50 registry changes into few writes holding all of them', async () => {
    await server.stop();
    // This server answers 429 to writes to one object less than 300 ms
    // apart, so a write that ignored the interval would show.
    server = await GcsTestServer.start({
      buckets: [BUCKET],
      objectMutationIntervalMs: 300,
    });
    const { store, exporter } = await setup({ minIntervalMs: 300 });
    const started = Date.now();
    for (let i = 0; i < 50; i++) {
      await store.createAccount(
        testAccount(`acct-${String(i).padStart(2, '0')}`),
        'user:default/alice',
      );
      exporter.requestExport();
      // Spread the burst over about half a second, giving the exporter's
      // timers every chance to write in between.
      await new Promise(resolve => setTimeout(resolve, 10));
    }
    const burstMs = Date.now() - started;
    await exporter.flush();

    // One write per started 300 ms of the burst, plus the last one.
    const writes = uploads();
    expect(writes.length).toBeGreaterThanOrEqual(2);
    expect(writes.length).toBeLessThanOrEqual(Math.ceil(burstMs / 300) + 1);
    expect(writes.every(r => r.status === 200)).toBe(true);
    for (let i = 1; i < writes.length; i++) {
      expect(
        writes[i].receivedAt - writes[i - 1].receivedAt,
      ).toBeGreaterThanOrEqual(290);
    }
    expect(exporter.writeCount).toBe(writes.length);
    const final = stored();
    expect(final.accounts).toHaveLength(50);
    expect(final.accounts[49].name).toBe('acct-49');
  });

  it('retries one 503 with the same precondition and succeeds', async () => {
    const target = gcsTarget();
    await target.write('{"v":1}\n');
    const generation = stored().generation;
    server.injectFault({ status: 503, times: 1, match: { kind: 'upload' } });

    await target.write('{"v":2}\n');

    const attempts = uploads().slice(1);
    expect(attempts.map(r => r.status)).toEqual([503, 200]);
    expect(attempts.map(r => r.query.ifGenerationMatch)).toEqual([
      String(generation),
      String(generation),
    ]);
    await expect(target.read()).resolves.toBe('{"v":2}\n');
  });

  it('fails with a clear message after a bounded number of tries on persistent 503, changing nothing', async () => {
    const target = gcsTarget({ maxRetries: 2 });
    await target.write('{"v":1}\n');
    const before = stored().generation;
    server.injectFault({ status: 503, times: 100, match: { kind: 'upload' } });

    const error = await target
      .write('{"v":2}\n')
      .then(() => undefined)
      .catch(e => e as Error);

    expect(error).toBeInstanceOf(Error);
    expect(error?.message).toBe(
      `Writing accounts.json to gcs://${BUCKET}/${OBJECT} failed (retried up to 2 times): 503 We encountered an internal error. Please try again.`,
    );
    // One try and two retries, then nothing more.
    expect(
      uploads()
        .slice(1)
        .map(r => r.status),
    ).toEqual([503, 503, 503]);
    expect(stored().generation).toBe(before);
    expect(server.object(BUCKET, OBJECT)?.data.toString()).toBe('{"v":1}\n');
    // Nothing else was sent either (no delete after a failed upload).
    expect(server.requestsMatching({ kind: 'delete' })).toEqual([]);
  });

  it('keeps a failed export pending and writes it once Cloud Storage recovers', async () => {
    const { store, exporter, logger } = await setup({
      minIntervalMs: 100,
      target: { maxRetries: 1 },
    });
    server.injectFault({ status: 503, times: 4, match: { kind: 'upload' } });
    await store.createAccount(testAccount('alpha'), 'user:default/alice');
    exporter.requestExport();

    // Two scheduled exports fail (2 tries each), the third lands.
    for (let i = 0; i < 600 && !server.object(BUCKET, OBJECT); i++) {
      await new Promise(resolve => setTimeout(resolve, 10));
    }
    await exporter.flush();
    expect(uploads().map(r => r.status)).toEqual([...Array(4).fill(503), 200]);
    expect(logger.error).toHaveBeenCalledTimes(2);
    expect(logger.error).toHaveBeenCalledWith(
      'Exporting accounts.json failed',
      {
        target: `gcs://${BUCKET}/${OBJECT}`,
        error: expect.stringContaining(
          `Error: Writing accounts.json to gcs://${BUCKET}/${OBJECT} failed`,
        ),
      },
    );
    expect(stored().accounts.map(a => a.name)).toEqual(['alpha']);
  });

  it('gives up after a bounded number of conflicts in a row', async () => {
    const knex = await databases.init('SQLITE_3');
    const store = await DatabaseAccountsStore.create({
      database: mockServices.database({ knex }),
    });
    const exporter = new AccountsExporter({
      store,
      target: gcsTarget(),
      logger: mockServices.logger.mock(),
      minIntervalMs: 10,
      maxConflictRetries: 2,
    });
    server.injectFault({ status: 412, times: 100, match: { kind: 'upload' } });

    await expect(exporter.exportNow()).rejects.toThrow(
      `Gave up exporting accounts.json to gcs://${BUCKET}/${OBJECT}: it changed underneath 3 times in a row.`,
    );
    expect(uploads().map(r => r.status)).toEqual([412, 412, 412]);
    // Each conflict re-read the generation before the next try.
    expect(server.requestsMatching({ kind: 'metadata' })).toHaveLength(3);
    expect(server.object(BUCKET, OBJECT)).toBeUndefined();

    // The change stays pending: once the conflicts stop, it lands.
    server.clearFaults();
    await exporter.flush();
    expect(stored().accounts).toEqual([]);
  });
});
