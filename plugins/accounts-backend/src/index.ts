/**
 * The Fleet Portal accounts backend plugin.
 *
 * @packageDocumentation
 */

export { accountsPlugin as default } from './plugin';
export type {
  AccountsStore,
  ListAccountsOptions,
  NewAccount,
} from './registry/AccountsStore';
export { DatabaseAccountsStore } from './registry/DatabaseAccountsStore';
export {
  accountConditions,
  accountResourceRef,
  accountRules,
  createAccountConditionalDecision,
} from './permissions/rules';
