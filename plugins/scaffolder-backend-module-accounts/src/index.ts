/**
 * Fleet Portal scaffolder actions.
 *
 * @packageDocumentation
 */

export { scaffolderModuleAccounts as default } from './module';
