import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { ListAccountsRequest } from '../../api';

export const PAGE_SIZE = 50;

/** The filters a user can set; all live in the URL. */
export interface AccountsFilters {
  q: string;
  environment: string;
  region: string;
  /** '' (any), 'true' or 'false'. */
  active: string;
  uat: string;
  page: number;
}

const FILTER_KEYS = ['q', 'environment', 'region', 'active', 'uat'] as const;

function toBoolean(value: string): boolean | undefined {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

/**
 * The accounts list's filters and page, read from and written to the URL's
 * query string, so a filtered view can be shared and survives reloads.
 */
export function useAccountsQuery() {
  const [params, setParams] = useSearchParams();

  const filters: AccountsFilters = useMemo(
    () => ({
      q: params.get('q') ?? '',
      environment: params.get('environment') ?? '',
      region: params.get('region') ?? '',
      active: params.get('active') ?? '',
      uat: params.get('uat') ?? '',
      page: Math.max(0, Number(params.get('page') ?? 0) || 0),
    }),
    [params],
  );

  const request: ListAccountsRequest = useMemo(
    () => ({
      q: filters.q || undefined,
      environment: filters.environment || undefined,
      region: filters.region || undefined,
      active: toBoolean(filters.active),
      uat: toBoolean(filters.uat),
      limit: PAGE_SIZE,
      offset: filters.page * PAGE_SIZE,
    }),
    [filters],
  );

  /** Changes filters; any filter change goes back to the first page. */
  const update = useCallback(
    (changes: Partial<AccountsFilters>) => {
      setParams(
        current => {
          const next = new URLSearchParams(current);
          for (const key of FILTER_KEYS) {
            if (changes[key] !== undefined) {
              if (changes[key]) next.set(key, changes[key]!);
              else next.delete(key);
            }
          }
          const page = changes.page ?? 0;
          if (page > 0) next.set('page', String(page));
          else next.delete('page');
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );

  return { filters, request, update };
}
