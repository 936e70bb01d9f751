import { WarningPanel } from '@backstage/core-components';
import {
  ServiceRelease,
  ServiceRepository,
} from '@fleet-portal/plugin-accounts-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import { shortSha } from '../../format';

/** The props of {@link CreateReleaseDialog}. */
export interface CreateReleaseDialogProps {
  /** A release candidate, or a release. */
  kind: 'rc' | 'final';
  /** The tag that will be created, e.g. `v1.5.0-rc.1`. */
  tag: string;
  repository: ServiceRepository;
  branch: string;
  /** The commit the tag will point at: the head of `branch`. */
  head: string;
  /** The latest release, whose successors the release notes list. */
  latest?: ServiceRelease;
  /** The release candidates of the version, newest first. */
  candidates: ServiceRelease[];
  /** While the request runs: nothing can be clicked twice. */
  busy: boolean;
  /** The server's message when the request failed. */
  error?: string;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * How a release relates to the release candidates tried on UAT: whether it
 * is the very commit of the newest one.
 */
function CandidateNote(props: { head: string; candidates: ServiceRelease[] }) {
  const { head, candidates } = props;
  const newest = candidates[0];
  if (!newest) {
    return (
      <Typography paragraph>
        No release candidate of this version was made: this commit goes to
        production without having run on UAT accounts as a candidate.
      </Typography>
    );
  }
  if (newest.sha === head) {
    return (
      <Typography paragraph>
        {`It is the commit of the release candidate ${newest.tag}.`}
      </Typography>
    );
  }
  return (
    <Box mb={2}>
      <WarningPanel
        title={`Not the commit of ${newest.tag}`}
        message={`The release candidate ${newest.tag} was made on ${shortSha(
          newest.sha,
        )}; the branch has moved on since, so this release contains commits that no release candidate had.`}
      />
    </Box>
  );
}

/**
 * Asks to confirm a release or release candidate, saying exactly which tag
 * will be created on which commit and which accounts it goes to. A failed
 * request's message stays in the dialog, which stays open.
 */
export function CreateReleaseDialog(props: CreateReleaseDialogProps) {
  const { kind, tag, repository, branch, head, latest, busy, error } = props;
  const candidate = kind === 'rc';
  const title = candidate
    ? `Create release candidate ${tag}`
    : `Release ${tag}`;
  return (
    <Dialog
      open
      onClose={busy ? undefined : props.onCancel}
      maxWidth="sm"
      fullWidth
      aria-labelledby="create-release-title"
    >
      <DialogTitle id="create-release-title">{title}</DialogTitle>
      <DialogContent dividers>
        {error && (
          <Box mb={2}>
            <WarningPanel
              severity="error"
              title={`${tag} was not created`}
              message={error}
              defaultExpanded
            />
          </Box>
        )}
        <Typography paragraph>
          Creates the tag <strong>{tag}</strong> on commit{' '}
          <code title={head}>{shortSha(head)}</code>, the head of{' '}
          <code>{branch}</code> in <code>{repository.name}</code>, with release
          notes listing the commits since{' '}
          {latest ? latest.tag : 'the first commit'}.
        </Typography>
        <Typography paragraph>
          <strong>
            {candidate
              ? 'A release candidate goes to UAT accounts only.'
              : 'A release goes to UAT and production accounts.'}
          </strong>
        </Typography>
        {!candidate && (
          <CandidateNote head={head} candidates={props.candidates} />
        )}
        <Typography variant="body2" color="textSecondary">
          {`Tags are never reused: once created, ${tag} stays.`}
        </Typography>
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onCancel} disabled={busy}>
          Cancel
        </Button>
        <Button
          variant="contained"
          color="primary"
          onClick={props.onConfirm}
          disabled={busy}
          startIcon={
            busy ? <CircularProgress size={16} color="inherit" /> : undefined
          }
        >
          {busy ? `Creating ${tag}…` : `Create ${tag}`}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
