import {
  Content,
  EmptyState,
  Link,
  LinkButton,
  ResponseErrorPanel,
  StatusOK,
  StatusWarning,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { Account } from '@fleet-portal/plugin-accounts-common';
import Box from '@material-ui/core/Box';
import TablePagination from '@material-ui/core/TablePagination';
import Tooltip from '@material-ui/core/Tooltip';
import AddIcon from '@material-ui/icons/Add';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { accountsApiRef } from '../../api';
import { AccountFilters } from './AccountFilters';
import { PAGE_SIZE, useAccountsQuery } from './useAccountsQuery';

/** `2026-11-22 15:04 UTC`: the same for every viewer, sortable by eye. */
export function formatTimestamp(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** `user:default/bob` → `bob`, `system:demo-seed` → `demo-seed`. */
function shortRef(ref: string): string {
  return ref.slice(Math.max(ref.lastIndexOf('/'), ref.lastIndexOf(':')) + 1);
}

const oneLine = { whiteSpace: 'nowrap' } as const;

const columns: TableColumn<Account>[] = [
  {
    title: 'Name',
    field: 'name',
    highlight: true,
    render: account => (
      <Link to={account.name} style={oneLine}>
        {account.name}
      </Link>
    ),
  },
  { title: 'Display name', field: 'displayName' },
  { title: 'Environment', field: 'environment' },
  {
    title: 'Cluster',
    field: 'cluster',
    render: account => (
      <>
        <Typography variant="body2" style={oneLine}>
          {account.cluster}
        </Typography>
        <Typography variant="caption" color="textSecondary">
          {account.region}
        </Typography>
      </>
    ),
  },
  {
    title: 'UAT',
    field: 'isUat',
    render: account => (account.isUat ? 'UAT' : ''),
  },
  {
    title: 'Active',
    field: 'active',
    render: account =>
      account.active ? (
        <span style={oneLine}>
          <StatusOK>active</StatusOK>
        </span>
      ) : (
        <span style={oneLine}>
          <StatusWarning>inactive</StatusWarning>
        </span>
      ),
  },
  {
    title: 'Last change',
    field: 'updatedAt',
    render: account => (
      <>
        <Typography variant="body2" style={oneLine}>
          {formatTimestamp(account.updatedAt)}
        </Typography>
        <Typography variant="caption" color="textSecondary">
          v{account.version} · {shortRef(account.updatedBy)}
        </Typography>
      </>
    ),
  },
];

/**
 * The way to the create form, unless the permission policy denies creating
 * any account. (`conditional`: allowed for some accounts; the backend
 * decides when the form is sent.)
 */
function CreateAccountButton() {
  const accountsApi = useApi(accountsApiRef);
  const capabilities = useAsync(
    () => accountsApi.getCapabilities(),
    [accountsApi],
  );
  const createAccount = capabilities.value?.createAccount;
  if (!createAccount || createAccount === 'deny') return null;
  const button = (
    <LinkButton
      to="new"
      variant="contained"
      color="primary"
      startIcon={<AddIcon />}
    >
      Create account
    </LinkButton>
  );
  return createAccount === 'conditional' ? (
    <Tooltip title="You may create some accounts only; the backend decides when you submit">
      <span>{button}</span>
    </Tooltip>
  ) : (
    button
  );
}

/**
 * The registry's accounts: searched, filtered and paged by the backend, with
 * the filters in the URL.
 */
export function AccountsPage() {
  const accountsApi = useApi(accountsApiRef);
  const { filters, request, update } = useAccountsQuery();
  const environments = useAsync(
    () => accountsApi.listEnvironments(),
    [accountsApi],
  );
  const accounts = useAsync(
    () => accountsApi.listAccounts(request),
    [accountsApi, request],
  );

  const error = accounts.error ?? environments.error;
  const filtered =
    filters.q ||
    filters.environment ||
    filters.region ||
    filters.active ||
    filters.uat;
  const total = accounts.value?.totalCount ?? 0;

  return (
    <Content>
      <Box mb={2} display="flex" justifyContent="flex-end">
        <CreateAccountButton />
      </Box>
      <Box mb={2}>
        <AccountFilters
          filters={filters}
          environments={environments.value ?? []}
          onChange={update}
        />
      </Box>
      {error && <ResponseErrorPanel error={error} />}
      {!error && !accounts.loading && total === 0 && (
        <EmptyState
          missing="data"
          title={filtered ? 'No accounts match' : 'No accounts yet'}
          description={
            filtered
              ? 'No account matches the search and filters. Clear some of them to see more.'
              : 'The registry holds no customer accounts. Accounts appear here once they are created.'
          }
        />
      )}
      {!error && (accounts.loading || total > 0) && (
        <>
          <Table<Account>
            title={`Accounts (${total})`}
            isLoading={accounts.loading}
            options={{
              paging: false,
              search: false,
              sorting: false,
              tableLayout: 'auto',
            }}
            columns={columns}
            data={accounts.value?.items ?? []}
          />
          <TablePagination
            component="div"
            count={total}
            page={Math.min(
              filters.page,
              Math.max(0, Math.ceil(total / PAGE_SIZE) - 1),
            )}
            rowsPerPage={PAGE_SIZE}
            rowsPerPageOptions={[PAGE_SIZE]}
            onPageChange={(_, page) => update({ page })}
          />
        </>
      )}
    </Content>
  );
}
