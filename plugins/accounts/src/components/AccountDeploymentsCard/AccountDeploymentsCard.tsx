import {
  InfoCard,
  LinkButton,
  Progress,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { ResponseError } from '@backstage/errors';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  Account,
  AccountReadiness,
  Deployment,
  accountDeployPermission,
} from '@fleet-portal/plugin-accounts-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { accountsApiRef } from '../../api';
import { formatTimestamp } from '../AccountsPage/AccountsPage';

/** Where the deploy template starts, with the account filled in. */
export function deployTemplateUrl(account: string): string {
  const formData = encodeURIComponent(JSON.stringify({ account }));
  return `/create/templates/default/deploy-account?formData=${formData}`;
}

function ReadinessLine({ readiness }: { readiness: AccountReadiness }) {
  const Icon = {
    ready: StatusOK,
    progressing: StatusPending,
    failed: StatusError,
    suspended: StatusWarning,
    missing: StatusWarning,
  }[readiness.state];
  // The status icons are flex blocks of their own: a flex row keeps the
  // icon beside its text instead of on a line above it.
  return (
    <Box display="flex" alignItems="center" data-testid="account-readiness">
      <Icon />
      <Typography variant="body2">
        Flux: <strong>{readiness.state}</strong> — {readiness.message}
      </Typography>
    </Box>
  );
}

const columns: TableColumn<Deployment>[] = [
  {
    title: 'When',
    render: d => formatTimestamp(d.deployedAt),
  },
  { title: 'By', field: 'deployedBy' },
  {
    title: 'Versions',
    render: d =>
      Object.entries(d.versions)
        .map(([service, tag]) => `${service} ${tag}`)
        .join(', '),
  },
  {
    title: 'Commit',
    render: d => <code>{d.commit.slice(0, 7)}</code>,
  },
  { title: 'Reason', render: d => d.reason ?? '' },
];

/**
 * The account's cluster side: its cluster (marked when simulated), whether
 * Flux has it Ready, its recorded deployments, and a Deploy button (through
 * the deploy-account template) for those allowed to deploy it.
 */
export function AccountDeploymentsCard({ account }: { account: Account }) {
  const api = useApi(accountsApiRef);
  const { allowed: canDeploy } = usePermission({
    permission: accountDeployPermission,
    resourceRef: account.name,
  });
  const state = useAsyncRetry(async () => {
    const [deployments, clusters, readiness] = await Promise.all([
      api.listDeployments(account.name),
      api.listClusters(),
      // No clusters configured, or one not answering: the rest still shows.
      api
        .getReadiness(account.name)
        .catch((error: Error) => (error as ResponseError).cause ?? error),
    ]);
    return {
      deployments,
      cluster: clusters.find(c => c.name === account.cluster),
      readiness,
    };
  }, [api, account.name, account.cluster, account.version]);

  const action = canDeploy ? (
    <LinkButton
      variant="contained"
      color="primary"
      to={deployTemplateUrl(account.name)}
    >
      Deploy
    </LinkButton>
  ) : undefined;

  return (
    <InfoCard title="Cluster and deployments" action={action}>
      {state.loading && <Progress />}
      {state.error && <ResponseErrorPanel error={state.error} />}
      {state.value && (
        <>
          <Box mb={2} display="flex" alignItems="center" gridGap={8}>
            <Typography variant="body2">{`Runs on ${account.cluster}`}</Typography>
            {state.value.cluster?.simulated && (
              <Chip
                size="small"
                label="simulated"
                title="Served by the local cluster simulator, not a real cluster"
              />
            )}
          </Box>
          {!('state' in state.value.readiness) ? (
            <Typography variant="body2" color="textSecondary">
              {`Flux status unavailable: ${state.value.readiness.message}`}
            </Typography>
          ) : (
            <ReadinessLine readiness={state.value.readiness} />
          )}
          <Box mt={2}>
            <Table
              title="Deployments"
              options={{ search: false, paging: false, padding: 'dense' }}
              columns={columns}
              data={state.value.deployments}
              emptyContent={
                <Box p={2}>
                  <Typography variant="body2">
                    No deployments recorded yet.
                  </Typography>
                </Box>
              }
            />
          </Box>
        </>
      )}
    </InfoCard>
  );
}
