import { LoggerService } from '@backstage/backend-plugin-api';
import {
  Account,
  AccountConfigCommitResult,
  AccountConfigFolder,
  AccountConfigPreview,
  ConfigCommitInfo,
  ConfigFileStatus,
} from '@fleet-portal/plugin-accounts-common';
import {
  ConfigFileChange,
  ConfigRepository,
  ConfigSnapshot,
} from './ConfigRepository';
import { GitopsConfig } from './render/gitopsConfig';
import { committedImageTag } from './render/imageTags';
import {
  accountFolder,
  helmReleaseFileName,
  renderAccountFolder,
} from './render/renderAccountFolder';
import { unifiedDiff } from './unifiedDiff';

/** Who asks for a commit, and why; both go into the commit message. */
export interface ConfigCommitOptions {
  /** The actor's entity ref, e.g. `user:default/jane`. */
  actor: string;
  /** One line; a default names the registry as the reason. */
  reason?: string;
  /** Image tags to pin, per account name and service. */
  pins?: Record<string, Record<string, string>>;
}

/** How one account's folder would change: the files before and after. */
interface FolderPlan {
  folder: string;
  before: Map<string, string>;
  after: Map<string, string>;
}

/**
 * Renders accounts into their folders of the config repository, shows what a
 * commit would change, and commits it: the GitOps side of the workflows.
 */
export class AccountConfigService {
  constructor(
    private readonly options: {
      repository: ConfigRepository;
      config: GitopsConfig;
      logger: LoggerService;
    },
  ) {}

  /** The account's folder as committed at the branch's head. */
  async committed(account: Account): Promise<AccountConfigFolder> {
    const { repository } = this.options;
    const folder = accountFolder(this.options.config, account);
    const [snapshot, lastCommit] = await Promise.all([
      repository.snapshot(),
      repository.lastCommit(folder),
    ]);
    const { location } = repository;
    return {
      folder,
      repository: location,
      head: snapshot.commit,
      lastCommit,
      files: snapshot.list(folder).map(path => ({
        path,
        url: location.url
          ? `${location.url.replace(/\/tree\/[^/]+$/, '')}/blob/${
              snapshot.commit.sha
            }/${path}`
          : undefined,
      })),
    };
  }

  /** The branch's head commit. */
  async head(): Promise<ConfigCommitInfo> {
    return (await this.options.repository.snapshot()).commit;
  }

  /**
   * The image tag of each of the account's services as committed at the
   * head (what Flux deploys), by service name; services without a committed
   * HelmRelease are left out.
   */
  async imageTags(account: Account): Promise<Record<string, string>> {
    const snapshot = await this.options.repository.snapshot();
    const folder = accountFolder(this.options.config, account);
    const tags: Record<string, string> = {};
    for (const service of account.services) {
      const content = await snapshot.read(
        `${folder}/${helmReleaseFileName(service.name)}`,
      );
      const tag =
        content === undefined ? undefined : committedImageTag(content);
      if (tag) tags[service.name] = tag;
    }
    return tags;
  }

  /** The unified diff committing the account would make, against the head. */
  async preview(
    account: Account,
    pins?: Record<string, string>,
  ): Promise<AccountConfigPreview> {
    const snapshot = await this.options.repository.snapshot();
    const plan = await this.plan(snapshot, account, pins);
    const statuses = statusesOf([plan]);
    return {
      folder: plan.folder,
      base: snapshot.commit,
      changes: statuses,
      diff: statuses
        .map(({ path }) =>
          unifiedDiff(path, plan.before.get(path), plan.after.get(path)),
        )
        .join(''),
    };
  }

  /**
   * Renders the accounts and commits their folders in one commit; when the
   * branch moves meanwhile, the repository re-renders on the new head.
   */
  async commit(
    accounts: Account[],
    options: ConfigCommitOptions,
  ): Promise<AccountConfigCommitResult> {
    let statuses: ConfigFileStatus[] = [];
    const result = await this.options.repository.commit({
      message: commitMessage(accounts, options),
      author: this.options.config.author,
      build: async head => {
        const plans = await Promise.all(
          accounts.map(a => this.plan(head, a, options.pins?.[a.name])),
        );
        statuses = statusesOf(plans);
        return plans.flatMap(changesOf);
      },
    });
    if (result.status === 'unchanged') {
      return { status: 'unchanged', commit: result.commit, changes: [] };
    }
    this.options.logger.info('Committed account config', {
      accounts: accounts.map(a => a.name).join(','),
      sha: result.commit.sha,
      files: result.changed.length,
      retries: result.retries,
    });
    return { status: 'committed', commit: result.commit, changes: statuses };
  }

  /**
   * Commits the folders of a freshly seeded demo fleet, so that the demo
   * starts with a config repository matching its registry. A failure is
   * logged, not thrown: the portal still starts.
   */
  async seedDemoFleet(accounts: Account[]): Promise<void> {
    try {
      await this.commit(accounts, {
        actor: 'system:demo-seed',
        reason: 'seed the demo fleet',
      });
    } catch (error) {
      this.options.logger.warn(
        `Could not commit the demo fleet's folders: ${error}`,
      );
    }
  }

  private async plan(
    snapshot: ConfigSnapshot,
    account: Account,
    pins?: Record<string, string>,
  ): Promise<FolderPlan> {
    const folder = accountFolder(this.options.config, account);
    const before = new Map<string, string>();
    await Promise.all(
      snapshot.list(folder).map(async path => {
        before.set(path, (await snapshot.read(path)) ?? '');
      }),
    );
    const current = new Map(
      [...before].map(([path, content]) => [
        path.slice(folder.length + 1),
        content,
      ]),
    );
    const rendered = renderAccountFolder(
      { account, current, pins },
      this.options.config,
    );
    const after = new Map(
      rendered.files.map(f => [`${rendered.folder}/${f.name}`, f.content]),
    );
    return { folder, before, after };
  }
}

/** The folder's file changes: writes of new or different files, deletions. */
function changesOf(plan: FolderPlan): ConfigFileChange[] {
  const changes: ConfigFileChange[] = [];
  for (const [path, content] of plan.after) {
    if (plan.before.get(path) !== content) changes.push({ path, content });
  }
  for (const path of plan.before.keys()) {
    if (!plan.after.has(path)) changes.push({ path, delete: true });
  }
  return changes;
}

function statusesOf(plans: FolderPlan[]): ConfigFileStatus[] {
  const statuses = plans.flatMap(plan =>
    changesOf(plan).map((change): ConfigFileStatus => {
      let status: ConfigFileStatus['status'] = 'added';
      if ('delete' in change) status = 'deleted';
      else if (plan.before.has(change.path)) status = 'modified';
      return { path: change.path, status };
    }),
  );
  // Paths are unique: byte order, as git lists them.
  return statuses.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** Names the account(s), the reason and the actor. */
export function commitMessage(
  accounts: Array<Pick<Account, 'name' | 'environment'>>,
  options: Pick<ConfigCommitOptions, 'actor' | 'reason'>,
): string {
  const reason = options.reason ?? 'render from the account registry';
  const subject =
    accounts.length === 1
      ? `${accounts[0].name} (${accounts[0].environment}): ${reason}`
      : `${accounts.length} accounts: ${reason}`;
  const names = accounts.map(a => a.name);
  const listed =
    names.length <= 20
      ? names.join(', ')
      : `${names.slice(0, 20).join(', ')} and ${names.length - 20} more`;
  return [
    subject,
    '',
    `Accounts: ${listed}`,
    `Requested-by: ${options.actor}`,
    'Committed-by: Fleet Portal',
    '',
  ].join('\n');
}
