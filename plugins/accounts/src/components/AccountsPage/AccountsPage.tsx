import {
  Content,
  EmptyState,
  Progress,
  ResponseErrorPanel,
  StatusOK,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { Account } from '@fleet-portal/plugin-accounts-common';
import useAsync from 'react-use/esm/useAsync';
import { accountsApiRef } from '../../api';

const columns: TableColumn<Account>[] = [
  { title: 'Name', field: 'name', highlight: true },
  { title: 'Display name', field: 'displayName' },
  { title: 'Environment', field: 'environment' },
  { title: 'Region', field: 'region' },
  { title: 'Cluster', field: 'cluster' },
  {
    title: 'Active',
    field: 'active',
    render: account => (account.active ? <StatusOK>active</StatusOK> : 'no'),
  },
  {
    title: 'UAT',
    field: 'isUat',
    render: account => (account.isUat ? 'UAT' : ''),
  },
];

/** The registry's accounts, as a table. */
export function AccountsPage() {
  const accountsApi = useApi(accountsApiRef);
  const { value, loading, error } = useAsync(
    () => accountsApi.listAccounts({ limit: 500 }),
    [accountsApi],
  );

  if (loading) {
    return <Progress />;
  }
  if (error) {
    return (
      <Content>
        <ResponseErrorPanel error={error} />
      </Content>
    );
  }
  if (!value || value.totalCount === 0) {
    return (
      <Content>
        <EmptyState
          missing="data"
          title="No accounts yet"
          description="The registry holds no customer accounts. Accounts appear here once they are created."
        />
      </Content>
    );
  }
  return (
    <Content>
      <Table<Account>
        title={`Accounts (${value.totalCount})`}
        options={{ paging: false, search: true }}
        columns={columns}
        data={value.items}
      />
    </Content>
  );
}
