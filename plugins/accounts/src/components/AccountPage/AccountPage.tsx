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
import { usePermission } from '@backstage/plugin-permission-react';
import {
  Account,
  AccountHistoryEntry,
  accountUpdatePermission,
} from '@fleet-portal/plugin-accounts-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import EditIcon from '@material-ui/icons/Edit';
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { accountsApiRef } from '../../api';
import { AccountConfigCard } from '../AccountConfigCard';
import { AccountDeploymentsCard } from '../AccountDeploymentsCard';
import { AccountHealthCard } from '../AccountHealthCard';
import { formatTimestamp } from '../AccountsPage/AccountsPage';
import { EditAccountDialog } from '../EditAccountDialog';

function describeValue(value: unknown): string {
  if (value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

// The changes carry most of the text: give them half the width.
const historyColumns: TableColumn<AccountHistoryEntry>[] = [
  { title: 'Version', field: 'version', width: '8%' },
  {
    title: 'When',
    field: 'changedAt',
    width: '17%',
    render: entry => formatTimestamp(entry.changedAt),
  },
  { title: 'Who', field: 'changedBy', width: '17%' },
  { title: 'Action', field: 'action', width: '8%' },
  {
    title: 'Changes',
    field: 'changes',
    width: '50%',
    cellStyle: { wordBreak: 'break-word' },
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

/**
 * The Edit button and its dialog, shown only when the permission policy lets
 * the user change this account (decided by the backend for this account).
 */
function EditAccount(props: {
  account: Account;
  onChanged: (account: Account) => void;
}) {
  const { account, onChanged } = props;
  const [open, setOpen] = useState(false);
  const { allowed } = usePermission({
    permission: accountUpdatePermission,
    resourceRef: account.name,
  });
  if (!allowed) return null;
  return (
    <>
      <Button
        variant="outlined"
        color="primary"
        startIcon={<EditIcon />}
        onClick={() => setOpen(true)}
      >
        Edit
      </Button>
      {open && (
        <EditAccountDialog
          account={account}
          onClose={() => setOpen(false)}
          onChanged={onChanged}
        />
      )}
    </>
  );
}

/** One account: its global configuration and its change history. */
export function AccountPage() {
  const { name = '' } = useParams();
  const accountsApi = useApi(accountsApiRef);
  const state = useAsyncRetry(
    async () =>
      Promise.all([accountsApi.getAccount(name), accountsApi.getHistory(name)]),
    [accountsApi, name],
  );

  // A reload after an edit keeps showing the account until it is back.
  if (state.loading && !state.value) return <Progress />;
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
      <Box
        display="flex"
        alignItems="center"
        justifyContent="space-between"
        mb={2}
      >
        <Typography variant="h4">{account.displayName}</Typography>
        <EditAccount account={account} onChanged={() => state.retry()} />
      </Box>
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
          <AccountDeploymentsCard account={account} />
        </Grid>
        <Grid item xs={12}>
          <AccountHealthCard account={account} />
        </Grid>
        <Grid item xs={12}>
          <AccountConfigCard account={account} />
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
