import { PermissionCriteria } from '@backstage/plugin-permission-common';
import {
  isAndCriteria,
  isNotCriteria,
  isOrCriteria,
} from '@backstage/plugin-permission-node';
import { Knex } from 'knex';
import { AccountFilter } from './AccountsStore';

/** The column each filter field is stored in. */
const columns = {
  environment: 'environment',
  owner: 'owner',
  isUat: 'is_uat',
} as const;

/**
 * Adds a permission filter tree (all of / any of / not) to a query on the
 * `accounts` table as one parenthesised WHERE clause. An empty `anyOf` or an
 * empty list of values matches nothing; an empty `allOf` matches everything.
 */
export function whereAccountFilter(
  query: Knex.QueryBuilder,
  criteria: PermissionCriteria<AccountFilter>,
): void {
  query.where(inner => addCriteria(inner, criteria));
}

function addCriteria(
  query: Knex.QueryBuilder,
  criteria: PermissionCriteria<AccountFilter>,
): void {
  if (isAndCriteria(criteria)) {
    for (const child of criteria.allOf) {
      query.andWhere(inner => addCriteria(inner, child));
    }
  } else if (isOrCriteria(criteria)) {
    if (criteria.anyOf.length === 0) {
      query.whereRaw('1 = 0');
      return;
    }
    for (const child of criteria.anyOf) {
      query.orWhere(inner => addCriteria(inner, child));
    }
  } else if (isNotCriteria(criteria)) {
    query.whereNot(inner => addCriteria(inner, criteria.not));
  } else {
    addFilter(query, criteria);
  }
}

function addFilter(query: Knex.QueryBuilder, filter: AccountFilter): void {
  const column = columns[filter.field];
  if (filter.field === 'isUat') {
    query.where(column, filter.value);
  } else if (filter.values.length === 0) {
    query.whereRaw('1 = 0');
  } else {
    query.whereIn(column, filter.values);
  }
}
