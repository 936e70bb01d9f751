import { WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  AccountConfigCommitResult,
  AccountConfigPreview,
  ConfigRepositoryInfo,
} from '@fleet-portal/plugin-accounts-common';
import Box from '@material-ui/core/Box';
import Dialog from '@material-ui/core/Dialog';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { FormEvent, useRef, useState } from 'react';
import { accountsApiRef } from '../../api';
import { serverError } from '../AccountForm';
import { DialogSubmitActions } from '../DialogSubmitActions';

/** The longest reason the backend takes. */
export const MAX_REASON_LENGTH = 200;

const reasonPrefix = 'Invalid reason: ';

/** Where a failed commit is explained: at the Reason field, or above it. */
interface CommitProblem {
  reason?: string;
  general?: string;
}

/** Says why a commit failed, in the words the user can act on. */
export function commitProblemOf(error: unknown): CommitProblem {
  const { status, message } = serverError(error);
  if (status === 400 && message.startsWith(reasonPrefix)) {
    return { reason: message.slice(reasonPrefix.length) };
  }
  if (status === 403) {
    return { general: "You may not commit this account's config." };
  }
  if (status === 409) {
    return {
      general:
        'The config repository changed meanwhile; preview again and retry.',
    };
  }
  return { general: message };
}

/** The props of {@link CommitConfigDialog}. */
export interface CommitConfigDialogProps {
  accountName: string;
  repository: ConfigRepositoryInfo;
  preview: AccountConfigPreview;
  /** Kept by the caller, so that closing the dialog does not lose it. */
  reason: string;
  onReasonChange: (reason: string) => void;
  onClose: () => void;
  onCommitted: (result: AccountConfigCommitResult) => void;
}

/**
 * Confirms a commit of the account's folder, with an optional one-line
 * reason for the commit message. One request at a time: while it runs the
 * buttons are disabled and a second submit is ignored.
 */
export function CommitConfigDialog(props: CommitConfigDialogProps) {
  const { accountName, repository, preview, reason, onReasonChange } = props;
  const accountsApi = useApi(accountsApiRef);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<CommitProblem>({});
  // State updates are not synchronous: a ref stops a quick second click.
  const inFlight = useRef(false);

  async function commit(event: FormEvent) {
    event.preventDefault();
    if (inFlight.current) return;
    inFlight.current = true;
    setBusy(true);
    setProblem({});
    try {
      // A blank reason is no reason: the backend refuses an empty one.
      const trimmed = reason.trim();
      const result = await accountsApi.commitAccountConfig(
        accountName,
        trimmed ? { reason: trimmed } : {},
      );
      props.onCommitted(result);
    } catch (error) {
      setProblem(commitProblemOf(error));
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  }

  const count = preview.changes.length;
  return (
    <Dialog
      open
      onClose={busy ? undefined : props.onClose}
      maxWidth="sm"
      fullWidth
    >
      <form onSubmit={commit} noValidate aria-label="Commit config">
        <DialogTitle>Commit {accountName}'s config</DialogTitle>
        <DialogContent dividers>
          {problem.general && (
            <Box mb={2}>
              <WarningPanel
                severity="error"
                title="Nothing was committed"
                message={problem.general}
                defaultExpanded
              />
            </Box>
          )}
          <Typography paragraph>
            Commits {count} {count === 1 ? 'file' : 'files'} in{' '}
            <code>{preview.folder}</code> to{' '}
            <code>
              {repository.name}@{repository.branch}
            </code>
            , rendered from the registry as it is when the commit is made.
          </Typography>
          <TextField
            id="config-commit-reason"
            label="Reason"
            value={reason}
            onChange={event => {
              onReasonChange(event.target.value);
              setProblem(({ general }) => ({ general }));
            }}
            disabled={busy}
            fullWidth
            variant="outlined"
            error={Boolean(problem.reason)}
            helperText={
              problem.reason ??
              `Optional, one line, for the commit message (${reason.length}/${MAX_REASON_LENGTH})`
            }
            inputProps={{ maxLength: MAX_REASON_LENGTH }}
          />
        </DialogContent>
        <DialogSubmitActions
          busy={busy}
          label="Commit"
          busyLabel="Committing…"
          onCancel={props.onClose}
        />
      </form>
    </Dialog>
  );
}
