import { LoggerService } from '@backstage/backend-plugin-api';
import { AccountsStore } from '../registry/AccountsStore';
import { AccountsDocument, buildAccountsDocument } from './accountsDocument';
import { ExportTarget } from './ExportTarget';

const DEFAULT_MAX_CONFLICT_RETRIES = 3;

/**
 * Keeps accounts.json in step with the registry. Every registry change asks
 * for an export; requests coalesce so the target is written at most once per
 * `minIntervalMs` (Cloud Storage allows one write per second per object),
 * and writes never overlap.
 *
 * When the target reports that someone else changed it
 * (`ExportConflictError`), the exporter rebuilds the document from the
 * registry and writes again, up to `maxConflictRetries` times, each try
 * waiting out the interval like any other write.
 *
 * @public
 */
export class AccountsExporter {
  private readonly minIntervalMs: number;
  private readonly maxConflictRetries: number;
  private lastWriteAt = 0;
  private pending = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Serialises writes: each one starts after the previous settles. */
  private chain: Promise<unknown> = Promise.resolve();
  /**
   * The queued write that has not read the registry yet. Requests arriving
   * meanwhile join it: its snapshot is taken later, so it holds them too.
   */
  private queued: { id: number; run: Promise<AccountsDocument> } | undefined;
  private lastId = 0;
  private writes = 0;

  constructor(
    private readonly options: {
      store: AccountsStore;
      target: ExportTarget;
      logger: LoggerService;
      minIntervalMs?: number;
      /** Fresh snapshots written after conflicts before giving up (3). */
      maxConflictRetries?: number;
    },
  ) {
    this.minIntervalMs = options.minIntervalMs ?? 1000;
    this.maxConflictRetries =
      options.maxConflictRetries ?? DEFAULT_MAX_CONFLICT_RETRIES;
  }

  /** A registry change happened: export soon, coalesced with others. */
  requestExport(): void {
    this.pending = true;
    this.schedule();
  }

  /** Writes accounts.json now (waiting out the interval) and returns it. */
  async exportNow(): Promise<AccountsDocument> {
    this.pending = false;
    try {
      return await this.enqueue();
    } catch (error) {
      // Keep the change pending, as for a scheduled export.
      this.requestExport();
      throw error;
    }
  }

  /** The document last written, or `undefined` before the first export. */
  async lastExport(): Promise<AccountsDocument | undefined> {
    const text = await this.options.target.read();
    return text === undefined ? undefined : JSON.parse(text);
  }

  /** How many documents this exporter wrote. */
  get writeCount(): number {
    return this.writes;
  }

  /** Where it writes. */
  describeTarget(): string {
    return this.options.target.describe();
  }

  /** Writes what is still pending and stops scheduling. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.pending) {
      this.pending = false;
      await this.enqueue();
    }
    await this.chain.catch(() => undefined);
  }

  private schedule() {
    if (this.timer) return;
    const wait = Math.max(
      0,
      this.lastWriteAt + this.minIntervalMs - Date.now(),
    );
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.pending) return;
      this.pending = false;
      this.enqueue().catch(error => {
        // Keep the change: the next attempt writes the then-current state.
        this.options.logger.error('Exporting accounts.json failed', {
          target: this.options.target.describe(),
          error: String(error),
        });
        this.pending = true;
        this.schedule();
      });
    }, wait);
  }

  private enqueue(): Promise<AccountsDocument> {
    if (this.queued) return this.queued.run;
    const id = ++this.lastId;
    const run = this.chain.catch(() => undefined).then(() => this.write(id));
    this.queued = { id, run };
    this.chain = run;
    return run;
  }

  /**
   * Writes a snapshot of the registry. After a conflict the snapshot is
   * rebuilt, so what lands always reflects the registry at that moment.
   */
  private async write(id: number): Promise<AccountsDocument> {
    for (let conflicts = 0; ; conflicts++) {
      const wait = this.lastWriteAt + this.minIntervalMs - Date.now();
      if (wait > 0) await new Promise(resolve => setTimeout(resolve, wait));
      // From here on, new requests need a write of their own.
      if (this.queued?.id === id) this.queued = undefined;
      const accounts = await this.options.store.allAccounts();
      const document = buildAccountsDocument(accounts, new Date());
      try {
        await this.options.target.write(
          `${JSON.stringify(document, null, 2)}\n`,
        );
      } catch (error) {
        if ((error as Error)?.name !== 'ExportConflictError') throw error;
        if (conflicts >= this.maxConflictRetries) {
          throw new Error(
            `Gave up exporting accounts.json to ${this.options.target.describe()}: it changed underneath ${
              conflicts + 1
            } times in a row. ${(error as Error).message}`,
          );
        }
        this.options.logger.warn(
          'accounts.json changed underneath; writing a fresh snapshot',
          { target: this.options.target.describe(), conflicts: conflicts + 1 },
        );
        continue;
      } finally {
        // Failed and conflicting tries count too: the next one waits.
        this.lastWriteAt = Date.now();
      }
      this.writes += 1;
      this.options.logger.info('Exported accounts.json', {
        target: this.options.target.describe(),
        accounts: accounts.length,
      });
      return document;
    }
  }
}
