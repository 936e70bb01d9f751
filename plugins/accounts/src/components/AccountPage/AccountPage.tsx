import {
  Content,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
  StructuredMetadataTable,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { AccountHistoryEntry } from '@fleet-portal/plugin-accounts-common';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { accountsApiRef } from '../../api';
import { formatTimestamp } from '../AccountsPage/AccountsPage';

function describeValue(value: unknown): string {
  if (value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

const historyColumns: TableColumn<AccountHistoryEntry>[] = [
  { title: 'Version', field: 'version' },
  {
    title: 'When',
    field: 'changedAt',
    render: entry => formatTimestamp(entry.changedAt),
  },
  { title: 'Who', field: 'changedBy' },
  { title: 'Action', field: 'action' },
  {
    title: 'Changes',
    field: 'changes',
    render: entry =>
      Object.entries(entry.changes).map(([field, change]) => (
        <Typography key={field} variant="body2">
          <strong>{field}</strong>:{' '}
          {entry.action === 'create'
            ? describeValue(change.to)
            : `${describeValue(change.from)} → ${describeValue(change.to)}`}
        </Typography>
      )),
  },
];

/** One account: its global configuration and its change history. */
export function AccountPage() {
  const { name = '' } = useParams();
  const accountsApi = useApi(accountsApiRef);
  const state = useAsync(
    async () =>
      Promise.all([accountsApi.getAccount(name), accountsApi.getHistory(name)]),
    [accountsApi, name],
  );

  if (state.loading) return <Progress />;
  if (state.error) {
    return (
      <Content>
        <ResponseErrorPanel error={state.error} />
      </Content>
    );
  }
  const [account, history] = state.value!;
  return (
    <Content>
      <Typography variant="h4" gutterBottom>
        {account.displayName}
      </Typography>
      <Grid container spacing={3}>
        <Grid item xs={12} md={6}>
          <InfoCard title="Global configuration">
            <StructuredMetadataTable
              metadata={{
                name: account.name,
                environment: account.environment,
                region: account.region,
                cluster: account.cluster,
                'GCP project': account.gcpProject,
                active: account.active ? 'yes' : 'no (deactivated)',
                UAT: account.isUat ? 'yes: receives release candidates' : 'no',
                owner: (
                  <Link
                    to={`/catalog/default/group/${account.owner.replace(
                      /^group:(default\/)?/,
                      '',
                    )}`}
                  >
                    {account.owner}
                  </Link>
                ),
                labels:
                  Object.entries(account.labels)
                    .map(([k, v]) => `${k}=${v}`)
                    .join(', ') || '—',
                version: account.version,
              }}
            />
          </InfoCard>
        </Grid>
        <Grid item xs={12} md={6}>
          <InfoCard title="Services">
            {account.services.length === 0 ? (
              <Typography>No services enabled.</Typography>
            ) : (
              account.services.map(service => (
                <Typography key={service.name} variant="body2">
                  <strong>{service.name}</strong>
                  {service.values
                    ? `: values ${JSON.stringify(service.values)}`
                    : ': environment defaults'}
                </Typography>
              ))
            )}
          </InfoCard>
        </Grid>
        <Grid item xs={12}>
          <Table<AccountHistoryEntry>
            title="History"
            options={{
              paging: false,
              search: false,
              sorting: false,
              tableLayout: 'auto',
            }}
            columns={historyColumns}
            data={history}
          />
        </Grid>
      </Grid>
    </Content>
  );
}
