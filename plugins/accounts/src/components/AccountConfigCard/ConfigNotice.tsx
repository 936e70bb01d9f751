import { Link } from '@backstage/core-components';
import {
  ConfigCommitInfo,
  ConfigRepositoryInfo,
} from '@fleet-portal/plugin-accounts-common';
import { makeStyles, Theme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import { ReactNode } from 'react';
import { formatTimestamp } from '../AccountsPage/AccountsPage';

/** The seven characters git shows of a commit. */
export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

/** A commit's short sha, linked to the commit when it has a web address. */
export function CommitSha(props: { commit: ConfigCommitInfo }) {
  const { commit } = props;
  const text = <code>{shortSha(commit.sha)}</code>;
  return commit.url ? <Link to={commit.url}>{text}</Link> : text;
}

/** A commit on one line: sha, subject, author and time. */
export function CommitSummary(props: { commit: ConfigCommitInfo }) {
  const { commit } = props;
  return (
    <>
      <CommitSha commit={commit} /> {commit.message.split('\n')[0]} —{' '}
      {commit.author.name}, {formatTimestamp(commit.committedAt)}
    </>
  );
}

/**
 * A web address of a folder of the repository: on GitHub the folder at the
 * branch, elsewhere the repository itself.
 */
export function folderUrl(
  repository: ConfigRepositoryInfo,
  folder: string,
): string | undefined {
  if (!repository.url) return undefined;
  if (repository.kind !== 'github') return repository.url;
  // The url may already point at a branch (`.../tree/main`).
  const base = repository.url.replace(/\/tree\/[^/]+\/?$/, '');
  return `${base}/tree/${encodeURI(repository.branch)}/${encodeURI(folder)}`;
}

const useStyles = makeStyles((theme: Theme) => ({
  notice: {
    padding: theme.spacing(1, 2),
    borderRadius: theme.shape.borderRadius,
    borderLeft: '4px solid',
    backgroundColor: theme.palette.background.default,
    margin: theme.spacing(1, 0),
  },
  info: { borderLeftColor: theme.palette.info.main },
  success: { borderLeftColor: theme.palette.success.main },
}));

/** The props of {@link Notice}. */
export interface NoticeProps {
  severity: 'info' | 'success';
  children: ReactNode;
}

/**
 * A quiet message in the card, marked by its left border's colour (the text
 * keeps the primary colour, for contrast). A live region, so that screen
 * readers announce a commit's outcome.
 */
export function Notice(props: NoticeProps) {
  const classes = useStyles();
  return (
    <Typography
      component="div"
      variant="body2"
      role="status"
      data-severity={props.severity}
      className={`${classes.notice} ${classes[props.severity]}`}
    >
      {props.children}
    </Typography>
  );
}
