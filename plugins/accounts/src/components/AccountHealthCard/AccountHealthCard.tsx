import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  StructuredMetadataTable,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  Account,
  AccountStatus,
  accountFluxReconcilePermission,
  accountFluxResumePermission,
  accountFluxSuspendPermission,
} from '@fleet-portal/plugin-accounts-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { accountsApiRef } from '../../api';
import { serverError } from '../AccountForm/submitError';
import { formatTimestamp } from '../AccountsPage/AccountsPage';
import { HealthStateChip } from '../FleetPage/healthStates';
import { FluxActions, FluxPermissions } from './FluxActions';
import {
  ConditionsTable,
  ReleaseHealthPanel,
  WorkloadLine,
} from './ReleaseHealthPanel';

/** The account's Flux Kustomization: state, revisions, suspension. */
function KustomizationSection(props: {
  status: AccountStatus;
  permissions: FluxPermissions;
  onChanged: () => void;
}) {
  const { status, permissions, onChanged } = props;
  const ks = status.kustomization;
  if (!ks) {
    return (
      <Typography variant="body2">
        No Flux Kustomization for this account on the cluster.
      </Typography>
    );
  }
  return (
    <Box component="section" aria-label="Kustomization" mb={2}>
      <Box display="flex" alignItems="center" flexWrap="wrap" gridGap={8}>
        <Typography variant="h6">{`Kustomization ${ks.namespace}/${ks.name}`}</Typography>
        <HealthStateChip state={ks.state} />
      </Box>
      <Box my={1}>
        <Typography variant="body2" color="textSecondary">
          {ks.message}
        </Typography>
      </Box>
      <FluxActions
        account={status.account}
        target={{ kind: 'Kustomization' }}
        suspended={ks.suspended}
        permissions={permissions}
        onDone={onChanged}
      />
      <Box mt={1}>
        <StructuredMetadataTable
          dense
          metadata={{
            'last applied': ks.lastAppliedRevision ?? '—',
            'last attempted': ks.lastAttemptedRevision ?? '—',
            suspended: ks.suspended
              ? `yes${
                  ks.suspendedBy
                    ? `, by ${ks.suspendedBy.actor} at ${formatTimestamp(
                        ks.suspendedBy.at,
                      )}`
                    : ' (not through the portal)'
                }`
              : 'no',
          }}
        />
      </Box>
      <Box mt={1}>
        <Typography variant="subtitle2">Conditions</Typography>
        <ConditionsTable conditions={ks.conditions} />
      </Box>
    </Box>
  );
}

/**
 * What Flux and the cluster report for the account: its Kustomization and
 * each HelmRelease with their workloads, and the Flux actions the policy
 * allows (reconcile, suspend, resume). A cluster that cannot be read shows
 * its last known state under a warning.
 */
export function AccountHealthCard({ account }: { account: Account }) {
  const api = useApi(accountsApiRef);
  const resourceRef = account.name;
  const permissions: FluxPermissions = {
    reconcile: usePermission({
      permission: accountFluxReconcilePermission,
      resourceRef,
    }).allowed,
    suspend: usePermission({
      permission: accountFluxSuspendPermission,
      resourceRef,
    }).allowed,
    resume: usePermission({
      permission: accountFluxResumePermission,
      resourceRef,
    }).allowed,
  };
  const state = useAsyncRetry(
    () => api.getAccountStatus(account.name),
    [api, account.name, account.version],
  );
  const status = state.value;

  let body: JSX.Element;
  if (state.loading && !status) {
    body = <Progress />;
  } else if (state.error) {
    const { status: code, message } = serverError(state.error);
    body =
      code === 404 ? (
        <Typography variant="body2" color="textSecondary">
          {`Flux health unavailable: ${message}`}
        </Typography>
      ) : (
        <ResponseErrorPanel error={state.error} />
      );
  } else {
    const { cluster, releases, workloads } = status!;
    const released = new Set(releases.map(r => r.service));
    const others = workloads.filter(
      w => !w.release || !released.has(w.release),
    );
    body = (
      <>
        {cluster.stale && (
          <Box mb={2}>
            <WarningPanel
              defaultExpanded
              title={`Cluster ${
                cluster.cluster
              } cannot be read: showing the last known state${
                cluster.syncedAt
                  ? ` (of ${formatTimestamp(cluster.syncedAt)})`
                  : ''
              }`}
              message={cluster.error ?? 'No reason given'}
            />
          </Box>
        )}
        {status!.desiredRevision && (
          <Box mb={2}>
            <Typography variant="body2" color="textSecondary">
              {`Desired versions as of config ${status!.desiredRevision}`}
            </Typography>
          </Box>
        )}
        <KustomizationSection
          status={status!}
          permissions={permissions}
          onChanged={state.retry}
        />
        {releases.length === 0 && (
          <Typography variant="body2">
            No HelmReleases on the cluster.
          </Typography>
        )}
        {releases.map(release => (
          <ReleaseHealthPanel
            key={release.service}
            account={account.name}
            release={release}
            workloads={workloads.filter(w => w.release === release.service)}
            permissions={permissions}
            onChanged={state.retry}
          />
        ))}
        {others.length > 0 && (
          <Box component="section" aria-label="Other workloads">
            <Typography variant="subtitle2">Other workloads</Typography>
            {others.map(w => (
              <WorkloadLine key={w.name} workload={w} />
            ))}
          </Box>
        )}
      </>
    );
  }

  return <InfoCard title="Flux health">{body}</InfoCard>;
}
