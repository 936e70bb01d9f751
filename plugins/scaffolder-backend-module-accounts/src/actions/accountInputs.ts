import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { AccountsBackendClient } from '../client/AccountsBackendClient';
import { AccountsBackendError } from '../client/AccountsBackendError';

/*
 * What the account actions share: the account name input, the account
 * page's path, and how they tell a backend answer apart.
 */

/** An account name is a DNS-1123 label (of 2–40 characters). */
export const ACCOUNT_NAME_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A JSON object, as the scaffolder stores checkpoints and outputs. */
export type JsonObject = { [key: string]: JsonValue };
/** A JSON value. */
export type JsonValue =
  | JsonObject
  | JsonValue[]
  | string
  | number
  | boolean
  | null;

/** The account's page in the portal, as a path of the app. */
export function accountPagePath(name: string): string {
  return `/accounts/${encodeURIComponent(name)}`;
}

/** Whether the backend answered with this HTTP status. */
export function hasStatus(error: unknown, status: number): boolean {
  return (
    error instanceof Error &&
    error.name === 'AccountsBackendError' &&
    (error as AccountsBackendError).statusCode === status
  );
}

/** Backend answers are plain JSON; the scaffolder stores them as such. */
export function asJson(value: object): JsonObject {
  return value as unknown as JsonObject;
}

/**
 * In a dry run of a whole template, the account an earlier step would create
 * does not exist. Says so (once, in the log) and answers `false`, so that the
 * action can skip what needs the account instead of failing.
 */
export async function existsForDryRun(
  client: AccountsBackendClient,
  name: string,
  credentials: BackstageCredentials,
  log: (message: string) => void,
): Promise<boolean> {
  if (await client.getAccount(name, credentials)) {
    return true;
  }
  log(
    `Dry run: there is no account '${name}' yet (an earlier step creates it in a real run); nothing more to check`,
  );
  return false;
}
