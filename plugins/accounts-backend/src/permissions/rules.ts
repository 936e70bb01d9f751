import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import {
  ACCOUNT_RESOURCE_TYPE,
  Account,
} from '@fleet-portal/plugin-accounts-common';
import { z } from 'zod';
import { AccountFilter } from '../registry/AccountsStore';

/**
 * Accounts as a resource of the permission framework: loaded as `Account`,
 * queried in SQL through `AccountFilter`.
 *
 * @public
 */
export const accountResourceRef = createPermissionResourceRef<
  Account,
  AccountFilter
>().with({ pluginId: 'accounts', resourceType: ACCOUNT_RESOURCE_TYPE });

const isInEnvironment = createPermissionRule({
  name: 'IS_IN_ENVIRONMENT',
  description: 'Allow accounts of the given environments',
  resourceRef: accountResourceRef,
  paramsSchema: z.object({
    environments: z
      .array(z.string())
      .describe('Environment names, e.g. ["staging"]'),
  }),
  apply: (account, { environments }) =>
    environments.includes(account.environment),
  toQuery: ({ environments }) => ({
    field: 'environment' as const,
    values: environments,
  }),
});

const isUat = createPermissionRule({
  name: 'IS_UAT',
  description: 'Allow accounts that receive release candidates (UAT)',
  resourceRef: accountResourceRef,
  apply: account => account.isUat,
  toQuery: () => ({ field: 'isUat' as const, value: true }),
});

const isOwnedBy = createPermissionRule({
  name: 'IS_OWNED_BY',
  description:
    'Allow accounts whose owner is one of the given entity refs, e.g. the ownership refs of the user',
  resourceRef: accountResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe('Entity refs, e.g. ["group:default/platform"]'),
  }),
  apply: (account, { claims }) => claims.includes(account.owner),
  toQuery: ({ claims }) => ({ field: 'owner' as const, values: claims }),
});

/**
 * The rules a permission policy can use in conditions on accounts.
 *
 * @public
 */
export const accountRules = { isInEnvironment, isUat, isOwnedBy };

const accountConditionExports = createConditionExports({
  resourceRef: accountResourceRef,
  rules: accountRules,
});

/**
 * Conditions on accounts for permission policies, e.g.
 * `accountConditions.isInEnvironment({ environments: ['staging'] })`.
 *
 * @public
 */
export const accountConditions = accountConditionExports.conditions;

/**
 * Builds a conditional decision on an accounts permission from conditions.
 *
 * @public
 */
export const createAccountConditionalDecision =
  accountConditionExports.createConditionalDecision;
