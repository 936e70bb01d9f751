import { LoggerService } from '@backstage/backend-plugin-api';
import { Account } from '@fleet-portal/plugin-accounts-common';
import { AccountsStore } from '../registry/AccountsStore';
import { AccountsDocument, buildAccountsDocument } from './accountsDocument';
import { ExportTarget } from './ExportTarget';

const PAGE = 500;

/**
 * Keeps accounts.json in step with the registry. Every registry change asks
 * for an export; requests coalesce so the target is written at most once per
 * `minIntervalMs` (Cloud Storage allows one write per second per object),
 * and writes never overlap.
 *
 * @public
 */
export class AccountsExporter {
  private readonly minIntervalMs: number;
  private lastWriteAt = 0;
  private pending = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Serialises writes: each one starts after the previous settles. */
  private chain: Promise<unknown> = Promise.resolve();
  private writes = 0;

  constructor(
    private readonly options: {
      store: AccountsStore;
      target: ExportTarget;
      logger: LoggerService;
      minIntervalMs?: number;
    },
  ) {
    this.minIntervalMs = options.minIntervalMs ?? 1000;
  }

  /** A registry change happened: export soon, coalesced with others. */
  requestExport(): void {
    this.pending = true;
    this.schedule();
  }

  /** Writes accounts.json now (waiting out the interval) and returns it. */
  async exportNow(): Promise<AccountsDocument> {
    this.pending = false;
    return this.enqueue();
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
    const run = this.chain
      .catch(() => undefined)
      .then(async () => {
        const wait = this.lastWriteAt + this.minIntervalMs - Date.now();
        if (wait > 0) await new Promise(resolve => setTimeout(resolve, wait));
        return this.write();
      });
    this.chain = run;
    return run;
  }

  private async write(): Promise<AccountsDocument> {
    const accounts: Account[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const page = await this.options.store.listAccounts({
        limit: PAGE,
        offset,
      });
      accounts.push(...page.items);
      if (page.items.length < PAGE) break;
    }
    const document = buildAccountsDocument(accounts, new Date());
    await this.options.target.write(`${JSON.stringify(document, null, 2)}\n`);
    this.lastWriteAt = Date.now();
    this.writes += 1;
    this.options.logger.info('Exported accounts.json', {
      target: this.options.target.describe(),
      accounts: accounts.length,
    });
    return document;
  }
}
