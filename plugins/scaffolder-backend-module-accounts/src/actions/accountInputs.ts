import { TemplateActionOptions } from '@backstage/plugin-scaffolder-node';
import { AccountsBackendError } from '../client/AccountsBackendError';

/*
 * What the account actions share: the account name input, the inputs of the
 * actions that wait, the account page's path, and how they tell a backend
 * answer apart.
 */

/** An account name is a DNS-1123 label (of 2–40 characters). */
export const ACCOUNT_NAME_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The zod the scaffolder hands to each field of an action's schema. */
type Zod = Parameters<
  NonNullable<NonNullable<TemplateActionOptions['schema']>['input']>[string]
>[0];

/** The `name` input of an action on one account. */
export function accountNameInput(
  description = 'Name of the account (a DNS-1123 label)',
) {
  return (z: Zod) =>
    z.string().min(2).max(40).regex(ACCOUNT_NAME_PATTERN).describe(description);
}

/**
 * The `timeoutSeconds` and `intervalSeconds` inputs of an action that polls
 * the backend until something is done; the scaffolder does not apply
 * defaults, the handler does.
 */
export function pollingInputs(timeoutDescription: string) {
  return {
    timeoutSeconds: (z: Zod) =>
      z
        .number()
        .positive()
        .max(24 * 3600)
        .optional()
        .describe(timeoutDescription),
    intervalSeconds: (z: Zod) =>
      z
        .number()
        .positive()
        .max(300)
        .optional()
        .describe('Seconds between readings (default 5)'),
  };
}

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
