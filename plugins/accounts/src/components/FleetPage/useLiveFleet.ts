import { useApi } from '@backstage/frontend-plugin-api';
import { FleetMatrix } from '@fleet-portal/plugin-accounts-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { FleetRequest, accountsApiRef } from '../../api';

/** How often the matrix is read again while the page is open. */
export const FLEET_REFRESH_MS = 10_000;

interface LiveState {
  matrix?: FleetMatrix;
  /** The filters `matrix` was read for. */
  matrixKey?: string;
  error?: Error;
  /** The filters `error` happened for. */
  errorKey?: string;
}

/**
 * The fleet matrix for the given filters, kept current: read again every
 * {@link FLEET_REFRESH_MS} while the page is visible and whenever the window
 * regains focus. The last matrix stays on screen while a new one is read
 * (no spinner, nothing unmounted, so scroll position and open tooltips
 * stay), and an answer for filters no longer wanted is dropped.
 */
export function useLiveFleet(
  request: FleetRequest,
  intervalMs = FLEET_REFRESH_MS,
) {
  const api = useApi(accountsApiRef);
  const key = JSON.stringify(request);
  const [state, setState] = useState<LiveState>({});
  /** The id of the newest read; older answers are dropped. */
  const latest = useRef(0);
  const busy = useRef(false);

  const load = useCallback(
    async (poll: boolean) => {
      // A poll never piles up on a read still under way.
      if (poll && busy.current) return;
      const id = ++latest.current;
      busy.current = true;
      try {
        const matrix = await api.getFleet(JSON.parse(key));
        if (id !== latest.current) return;
        setState(prev => {
          // Unchanged: keep the same object, so nothing renders again.
          const same =
            prev.matrixKey === key && prev.matrix?.version === matrix.version;
          if (same && !prev.error) return prev;
          return { matrix: same ? prev.matrix : matrix, matrixKey: key };
        });
      } catch (error) {
        if (id !== latest.current) return;
        setState(prev => ({ ...prev, error: error as Error, errorKey: key }));
      } finally {
        if (id === latest.current) busy.current = false;
      }
    },
    [api, key],
  );

  useEffect(() => {
    load(false);
    const reads = latest;
    return () => {
      // Filters changed or the page closed: drop the answer under way.
      reads.current++;
      busy.current = false;
    };
  }, [load]);

  useEffect(() => {
    const poll = () => {
      if (document.visibilityState !== 'hidden') load(true);
    };
    const timer = setInterval(poll, intervalMs);
    const onFocus = () => load(true);
    window.addEventListener('focus', onFocus);
    return () => {
      clearInterval(timer);
      window.removeEventListener('focus', onFocus);
    };
  }, [load, intervalMs]);

  const error = state.errorKey === key ? state.error : undefined;
  return {
    matrix: state.matrix,
    /** The matrix shown is for other filters; the new one is on its way. */
    updating: !!state.matrix && state.matrixKey !== key && !error,
    /** Whether the matrix shown is for the current filters. */
    current: !!state.matrix && state.matrixKey === key,
    error,
  };
}
