import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import {
  ConfigFileStatus,
  ProvisionedObject,
} from '@fleet-portal/plugin-accounts-common';
import { AccountsBackendClient } from '../client/AccountsBackendClient';
import { JsonValue } from './accountInputs';

/**
 * What an account action does around its calls of the accounts backend: as
 * whom it calls, the lines it logs, in a dry run the skip of an account an
 * earlier step would create, in a real run the checkpoint that keeps an
 * answer for a resumed task.
 */
export interface AccountStep {
  /** The user who started the task; the backend is called on their behalf. */
  credentials: BackstageCredentials;
  /** Adds a line to the task's log. */
  log(message: string): void;
  /**
   * Whether the account exists. In a dry run of a whole template, the
   * account an earlier step would create does not: then this says so (once,
   * in the log) and answers `false`, so that the action skips what needs
   * the account instead of failing.
   */
  existsForDryRun(name: string): Promise<boolean>;
  /**
   * Calls the backend once per task: the answer is kept in the checkpoint
   * `key`, so that a resumed task gets it back instead of calling again
   * (creating a second operation, commit, ...).
   */
  once<T extends object | string>(
    key: string,
    call: () => Promise<T>,
  ): Promise<T>;
  /** A line per object applied; Secrets by their key names, never values. */
  logObjects(objects: ProvisionedObject[], dryRun: boolean): void;
  /** A line per file of the config repository changed. */
  logChanges(changes: ConfigFileStatus[]): void;
}

/** The {@link AccountStep} of an action's run. */
export async function accountStep(
  ctx: Pick<
    ActionContext<{}>,
    'logger' | 'checkpoint' | 'getInitiatorCredentials'
  >,
  client: AccountsBackendClient,
): Promise<AccountStep> {
  const credentials = await ctx.getInitiatorCredentials();
  const log = (message: string) => ctx.logger.info(message);
  return {
    credentials,
    log,
    async existsForDryRun(name) {
      if (await client.getAccount(name, credentials)) {
        return true;
      }
      log(
        `Dry run: there is no account '${name}' yet (an earlier step creates it in a real run); nothing more to check`,
      );
      return false;
    },
    async once<T extends object | string>(key: string, call: () => Promise<T>) {
      // Backend answers are plain JSON, which is what a checkpoint keeps.
      const kept = await ctx.checkpoint({
        key,
        fn: async () => (await call()) as unknown as JsonValue,
      });
      return kept as unknown as T;
    },
    logObjects(objects, dryRun) {
      for (const object of objects) {
        log(describeObject(object, dryRun));
      }
    },
    logChanges(changes) {
      for (const change of changes) {
        log(`${change.status} ${change.path}`);
      }
    },
  };
}

function describeObject(object: ProvisionedObject, dryRun: boolean): string {
  const where = object.namespace ? `${object.namespace}/` : '';
  const keys = object.keys ? ` (keys: ${object.keys.join(', ')})` : '';
  return `${object.kind} ${where}${object.name}: ${object.action}${
    dryRun ? ' (dry run)' : ''
  }${keys}`;
}
