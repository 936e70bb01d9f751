import {
  HEALTH_STATES,
  HealthState,
} from '@fleet-portal/plugin-accounts-common';
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { FleetRequest } from '../../api';

/** The fleet's filters; all live in the URL. */
export interface FleetFilters {
  environment: string;
  region: string;
  cluster: string;
  /** '' (any), 'true' or 'false'. */
  uat: string;
  /** Any of these services (empty: all). */
  service: string[];
  /** Accounts with a cell in any of these states (empty: all). */
  state: HealthState[];
}

const SINGLE_KEYS = ['environment', 'region', 'cluster', 'uat'] as const;
const LIST_KEYS = ['service', 'state'] as const;

function readFilters(params: URLSearchParams): FleetFilters {
  const states = params.getAll('state');
  return {
    environment: params.get('environment') ?? '',
    region: params.get('region') ?? '',
    cluster: params.get('cluster') ?? '',
    uat: params.get('uat') ?? '',
    service: params.getAll('service').filter(Boolean),
    state: HEALTH_STATES.filter(s => states.includes(s)),
  };
}

function toBoolean(value: string): boolean | undefined {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

function toRequest(filters: FleetFilters): FleetRequest {
  return {
    environment: filters.environment || undefined,
    region: filters.region || undefined,
    cluster: filters.cluster || undefined,
    uat: toBoolean(filters.uat),
    service: filters.service.length ? filters.service : undefined,
    state: filters.state.length ? filters.state : undefined,
  };
}

/**
 * The fleet's filters, read from and written to the URL's query string
 * (`?environment=production&service=backend&service=engine&state=failed`),
 * so a filtered view can be shared and survives reloads.
 */
export function useFleetQuery() {
  const [params, setParams] = useSearchParams();
  // Keyed by the query string: the same filters give the same objects, so
  // unrelated navigation does not start a new request.
  const search = params.toString();
  const filters = useMemo(
    () => readFilters(new URLSearchParams(search)),
    [search],
  );
  const request = useMemo(() => toRequest(filters), [filters]);
  const filtered = Object.values(filters).some(value => value.length > 0);

  /** Changes some filters; `{}` with `clear` removes them all. */
  const update = useCallback(
    (changes: Partial<FleetFilters>, clear = false) => {
      setParams(
        current => {
          const next = new URLSearchParams(current);
          for (const key of SINGLE_KEYS) {
            const value = clear ? '' : changes[key];
            if (value === undefined) continue;
            if (value) next.set(key, value);
            else next.delete(key);
          }
          for (const key of LIST_KEYS) {
            const values = clear ? [] : changes[key];
            if (values === undefined) continue;
            next.delete(key);
            for (const value of values) next.append(key, value);
          }
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );

  return { filters, request, filtered, update };
}
