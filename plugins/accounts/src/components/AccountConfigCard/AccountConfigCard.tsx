import {
  InfoCard,
  Link,
  Progress,
  StructuredMetadataTable,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  Account,
  AccountConfigFolder,
} from '@fleet-portal/plugin-accounts-common';
import Typography from '@material-ui/core/Typography';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { accountsApiRef } from '../../api';
import { serverError } from '../AccountForm';
import { CommitSummary, Notice, folderUrl } from './ConfigNotice';
import { ConfigPreview } from './ConfigPreview';

/** The props of {@link AccountConfigCard}. */
export interface AccountConfigCardProps {
  account: Account;
}

/** The backend's 404 when the portal has no config repository at all. */
function isUnconfigured(status: number | undefined, message: string) {
  return status === 404 && message.startsWith('No config repository');
}

/** The repository, the folder, its last commit and its files. */
function FolderDetails(props: { config: AccountConfigFolder }) {
  const { config } = props;
  const { repository } = config;
  const repositoryText = `${repository.name}@${repository.branch}`;
  const folderLink = folderUrl(repository, config.folder);
  const files =
    config.files.length === 0 ? (
      <Typography variant="body2">No files yet.</Typography>
    ) : (
      <ul
        aria-label="Files"
        style={{ margin: 0, paddingLeft: '1.25em', wordBreak: 'break-all' }}
      >
        {config.files.map(file => (
          <li key={file.path}>
            {file.url ? (
              <Link to={file.url}>{file.path}</Link>
            ) : (
              <code>{file.path}</code>
            )}
          </li>
        ))}
      </ul>
    );
  return (
    <StructuredMetadataTable
      metadata={{
        repository: repository.url ? (
          <Link to={repository.url}>{repositoryText}</Link>
        ) : (
          repositoryText
        ),
        folder: folderLink ? (
          <Link to={folderLink}>{config.folder}</Link>
        ) : (
          config.folder
        ),
        'last commit': config.lastCommit ? (
          <CommitSummary commit={config.lastCommit} />
        ) : (
          'never committed'
        ),
        files,
      }}
    />
  );
}

/**
 * The account's folder in the GitOps config repository: where it is, its
 * last commit and files, a preview of what committing the account would
 * change, and the commit itself for those the permission policy allows
 * (`accounts.config.commit` on this account).
 */
export function AccountConfigCard(props: AccountConfigCardProps) {
  const { account } = props;
  const accountsApi = useApi(accountsApiRef);
  const state = useAsyncRetry(
    () => accountsApi.getAccountConfig(account.name),
    [accountsApi, account.name],
  );

  let content;
  // A reload after a commit keeps showing the folder until it is back.
  if (state.loading && !state.value) {
    content = <Progress />;
  } else if (state.error) {
    const { status, message } = serverError(state.error);
    content = isUnconfigured(status, message) ? (
      <Notice severity="info">{message}</Notice>
    ) : (
      <WarningPanel
        severity="error"
        title="The config repository could not be read"
        message={message}
        defaultExpanded
      />
    );
  } else {
    const config = state.value!;
    content = (
      <>
        <FolderDetails config={config} />
        <ConfigPreview
          accountName={account.name}
          config={config}
          onCommitted={() => state.retry()}
        />
      </>
    );
  }
  return <InfoCard title="Config repository">{content}</InfoCard>;
}
