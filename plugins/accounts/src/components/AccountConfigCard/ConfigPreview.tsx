import { WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  AccountConfigCommitResult,
  AccountConfigFolder,
  AccountConfigPreview,
  ConfigFileStatus,
  accountConfigCommitPermission,
} from '@fleet-portal/plugin-accounts-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Typography from '@material-ui/core/Typography';
import { useRef, useState } from 'react';
import { accountsApiRef } from '../../api';
import { serverError } from '../AccountForm';
import { CommitConfigDialog } from './CommitConfigDialog';
import { ConfigDiff } from './ConfigDiff';
import { CommitSha, Notice } from './ConfigNotice';

const statuses: ConfigFileStatus['status'][] = ['added', 'modified', 'deleted'];

/**
 * "3 files would change: 2 added, 1 modified", or that nothing would.
 */
export function previewSummary(changes: ConfigFileStatus[]): string {
  if (changes.length === 0) {
    return 'Nothing to commit: the folder is up to date with the registry';
  }
  const counts = statuses
    .map(status => ({
      status,
      count: changes.filter(c => c.status === status).length,
    }))
    .filter(({ count }) => count > 0)
    .map(({ status, count }) => `${count} ${status}`);
  const files = changes.length === 1 ? 'file' : 'files';
  return `${changes.length} ${files} would change: ${counts.join(', ')}`;
}

/** What the preview shows: nothing yet, loading, the answer, or a failure. */
type PreviewState =
  | { state: 'idle' }
  | { state: 'loading' }
  | { state: 'done'; preview: AccountConfigPreview }
  | { state: 'failed'; status?: number; message: string };

/** The outcome of a commit, said in the card. */
function CommitOutcome(props: {
  result: AccountConfigCommitResult;
  branch: string;
}) {
  const { result, branch } = props;
  if (result.status === 'unchanged') {
    return (
      <Notice severity="info">
        Nothing was committed: the folder already matched the registry at{' '}
        <CommitSha commit={result.commit} />.
      </Notice>
    );
  }
  return (
    <Notice severity="success">
      Committed <CommitSha commit={result.commit} /> to {branch} (
      {result.changes.length} {result.changes.length === 1 ? 'file' : 'files'}).
    </Notice>
  );
}

/** The props of {@link ConfigPreview}. */
export interface ConfigPreviewProps {
  accountName: string;
  config: AccountConfigFolder;
  /** A commit was made (or found unnecessary): the folder should reload. */
  onCommitted: () => void;
}

/**
 * "Preview changes", what it found, and the commit of it when the
 * permission policy allows committing this account's config.
 */
export function ConfigPreview(props: ConfigPreviewProps) {
  const { accountName, config } = props;
  const accountsApi = useApi(accountsApiRef);
  const { allowed } = usePermission({
    permission: accountConfigCommitPermission,
    resourceRef: accountName,
  });
  const [preview, setPreview] = useState<PreviewState>({ state: 'idle' });
  const [result, setResult] = useState<AccountConfigCommitResult>();
  const [committing, setCommitting] = useState(false);
  // Survives closing the dialog and failed commits, until one succeeds.
  const [reason, setReason] = useState('');
  // Counts requests, so that an older answer cannot replace a newer one.
  const latest = useRef(0);

  async function runPreview() {
    const request = ++latest.current;
    setPreview({ state: 'loading' });
    setResult(undefined);
    try {
      const answer = await accountsApi.previewAccountConfig(accountName);
      if (request === latest.current) {
        setPreview({ state: 'done', preview: answer });
      }
    } catch (error) {
      if (request === latest.current) {
        setPreview({ state: 'failed', ...serverError(error) });
      }
    }
  }

  function committed(answer: AccountConfigCommitResult) {
    latest.current++;
    setCommitting(false);
    setReason('');
    setPreview({ state: 'idle' });
    setResult(answer);
    props.onCommitted();
  }

  const loading = preview.state === 'loading';
  return (
    <Box mt={2}>
      <Button
        variant="outlined"
        color="primary"
        onClick={runPreview}
        disabled={loading}
        startIcon={loading ? <CircularProgress size={16} /> : undefined}
      >
        Preview changes
      </Button>
      {result && (
        <CommitOutcome result={result} branch={config.repository.branch} />
      )}
      {preview.state === 'failed' && (
        <Box mt={2}>
          <WarningPanel
            severity="error"
            title={
              preview.status === 400
                ? 'The account cannot be rendered'
                : 'The preview failed'
            }
            message={preview.message}
            defaultExpanded
          />
        </Box>
      )}
      {preview.state === 'done' && (
        <Box mt={2}>
          <Typography variant="subtitle1" data-testid="config-preview-summary">
            {previewSummary(preview.preview.changes)}
          </Typography>
          {preview.preview.changes.length > 0 && (
            <ul aria-label="Changed files">
              {preview.preview.changes.map(change => (
                <li key={change.path} data-status={change.status}>
                  <Typography variant="body2" component="span">
                    <strong>{change.status}</strong> <code>{change.path}</code>
                  </Typography>
                </li>
              ))}
            </ul>
          )}
          {preview.preview.diff && <ConfigDiff diff={preview.preview.diff} />}
          {allowed && preview.preview.diff && (
            <Box mt={2}>
              <Button
                variant="contained"
                color="primary"
                onClick={() => setCommitting(true)}
              >
                Commit
              </Button>
            </Box>
          )}
          {committing && (
            <CommitConfigDialog
              accountName={accountName}
              repository={config.repository}
              preview={preview.preview}
              reason={reason}
              onReasonChange={setReason}
              onClose={() => setCommitting(false)}
              onCommitted={committed}
            />
          )}
        </Box>
      )}
    </Box>
  );
}
