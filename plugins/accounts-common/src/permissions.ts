import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Read accounts from the registry.
 *
 * @public
 */
export const accountReadPermission = createPermission({
  name: 'accounts.account.read',
  attributes: { action: 'read' },
});

/**
 * Create an account in the registry.
 *
 * @public
 */
export const accountCreatePermission = createPermission({
  name: 'accounts.account.create',
  attributes: { action: 'create' },
});

/**
 * Change an account's global configuration.
 *
 * @public
 */
export const accountUpdatePermission = createPermission({
  name: 'accounts.account.update',
  attributes: { action: 'update' },
});

/**
 * Write accounts.json to its export target now.
 *
 * @public
 */
export const accountsExportPermission = createPermission({
  name: 'accounts.export',
  attributes: { action: 'update' },
});

/**
 * All permissions of the accounts plugin.
 *
 * @public
 */
export const accountsPermissions = [
  accountReadPermission,
  accountCreatePermission,
  accountUpdatePermission,
  accountsExportPermission,
];
