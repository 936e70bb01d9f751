import {
  Content,
  EmptyState,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import {
  ClusterSyncStatus,
  HealthState,
} from '@fleet-portal/plugin-accounts-common';
import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { useCallback } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { accountsApiRef } from '../../api';
import { accountRouteRef } from '../../routes';
import { serverError } from '../AccountForm/submitError';
import { formatTimestamp } from '../AccountsPage/AccountsPage';
import { FleetFilters } from './FleetFilters';
import { FleetMatrixTable } from './FleetMatrixTable';
import { StateCounts } from './StateCounts';
import { FLEET_REFRESH_MS, useLiveFleet } from './useLiveFleet';
import { useFleetQuery } from './useFleetQuery';

/** Where an account's page is when no route says otherwise. */
function defaultAccountHref(name: string): string {
  return `/accounts/${encodeURIComponent(name)}`;
}

/**
 * A banner per cluster that cannot be read now: its accounts' cells are
 * the last known state. The rest of the fleet shows as usual.
 */
function ClusterWarnings({ clusters }: { clusters: ClusterSyncStatus[] }) {
  const problems = clusters.filter(c => c.stale || c.error);
  if (problems.length === 0) return null;
  return (
    <Box mb={2} display="flex" flexDirection="column" gridGap={8}>
      {problems.map(c => (
        <WarningPanel
          key={c.cluster}
          defaultExpanded
          title={`Cluster ${c.cluster} ${
            c.stale
              ? `cannot be read: its accounts show the last known state${
                  c.syncedAt ? ` (of ${formatTimestamp(c.syncedAt)})` : ''
                }`
              : 'reports a problem'
          }`}
          message={c.error ?? 'No reason given'}
        />
      ))}
    </Box>
  );
}

/**
 * The fleet: which version of each service runs in each account, coloured
 * by Flux's state, with the filters in the URL and live updates.
 * `accountHref` gives the link of an account's page.
 */
export function FleetPage(props: { accountHref?: (name: string) => string }) {
  const accountHref = props.accountHref ?? defaultAccountHref;
  const api = useApi(accountsApiRef);
  const { filters, request, filtered, update } = useFleetQuery();
  const { matrix, updating, current, error } = useLiveFleet(request);
  // The choices of the filters; without them the matrix still shows.
  const options = useAsync(async () => {
    const [environments, services] = await Promise.all([
      api.listEnvironments().catch(() => []),
      api.listServices().catch(() => []),
    ]);
    return { environments, services: services.map(s => s.name) };
  }, [api]);

  const toggleState = useCallback(
    (state: HealthState) =>
      update({
        state: filters.state.includes(state)
          ? filters.state.filter(s => s !== state)
          : [...filters.state, state],
      }),
    [filters.state, update],
  );

  let body: JSX.Element;
  if (!matrix && !error) {
    body = <Progress />;
  } else if (error && !current) {
    body = <ResponseErrorPanel error={error} />;
  } else {
    const shown = matrix!;
    body = (
      <>
        {error && (
          <Box mb={2}>
            <WarningPanel
              title={`Live update failed: showing the fleet as of ${formatTimestamp(
                shown.generatedAt,
              )}`}
              message={serverError(error).message}
            />
          </Box>
        )}
        <ClusterWarnings clusters={shown.clusters} />
        <Box mb={1}>
          <StateCounts
            matrix={shown}
            selected={filters.state}
            onToggle={toggleState}
          />
        </Box>
        {/* Reserved space: the bar never moves the matrix. */}
        <Box height={4} mb={1}>
          {updating && <LinearProgress aria-label="Updating the fleet" />}
        </Box>
        {shown.rows.length === 0 ? (
          <EmptyState
            missing="data"
            title={filtered ? 'No accounts match' : 'No accounts in the fleet'}
            description={
              filtered
                ? 'No account matches the filters. Clear some of them to see more.'
                : 'No account has services on a cluster yet.'
            }
          />
        ) : (
          <FleetMatrixTable matrix={shown} accountHref={accountHref} />
        )}
        <Box mt={1}>
          <Typography variant="caption" color="textSecondary">
            {`Computed ${formatTimestamp(shown.generatedAt)}${
              shown.desiredRevision
                ? ` from config ${shown.desiredRevision}`
                : ''
            } · refreshed every ${FLEET_REFRESH_MS / 1000} s`}
          </Typography>
        </Box>
      </>
    );
  }

  return (
    <Content>
      <Box mb={2}>
        <FleetFilters
          filters={filters}
          environments={options.value?.environments ?? []}
          services={options.value?.services ?? []}
          filtered={filtered}
          onChange={update}
          onClear={() => update({}, true)}
        />
      </Box>
      {body}
    </Content>
  );
}

/**
 * The fleet page in the new frontend system: account names link to the
 * account pages wherever the app mounts them.
 */
export function RoutedFleetPage() {
  const accountRoute = useRouteRef(accountRouteRef);
  const accountHref = useCallback(
    (name: string) =>
      accountRoute ? accountRoute({ name }) : defaultAccountHref(name),
    [accountRoute],
  );
  return <FleetPage accountHref={accountHref} />;
}
