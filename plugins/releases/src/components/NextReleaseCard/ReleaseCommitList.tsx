import { Link } from '@backstage/core-components';
import {
  NextRelease,
  ReleaseCommit,
  ServiceRepository,
  VersionBump,
} from '@fleet-portal/plugin-accounts-common';
import Box from '@material-ui/core/Box';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { commitUrl, formatTimestamp, shortSha } from '../../format';

/** The sections of the release notes, in the order the notes list them. */
const SECTIONS: Array<{ bump: VersionBump; title: string }> = [
  { bump: 'major', title: 'Breaking changes' },
  { bump: 'minor', title: 'Features' },
  { bump: 'patch', title: 'Fixes and other changes' },
];

function CommitLine(props: {
  commit: ReleaseCommit;
  repository: ServiceRepository;
}) {
  const { commit, repository } = props;
  const url = commitUrl(repository, commit.sha);
  const sha = <code title={commit.sha}>{shortSha(commit.sha)}</code>;
  const details = [
    commit.author,
    commit.committedAt && formatTimestamp(commit.committedAt),
  ].filter(Boolean);
  return (
    <ListItem dense disableGutters>
      <ListItemText
        primary={
          <>
            {commit.scope && <strong>{`${commit.scope}: `}</strong>}
            {commit.subject}
          </>
        }
        secondary={
          <>
            {url ? <Link to={url}>{sha}</Link> : sha}
            {details.length > 0 && ` · ${details.join(' · ')}`}
          </>
        }
      />
    </ListItem>
  );
}

/**
 * The commits since the latest release, by the bump each asks for: the
 * breaking changes, the features, and the fixes and everything else, each
 * with its scope, short sha and author (as the release notes will list
 * them).
 */
export function ReleaseCommitList(props: {
  commits: NextRelease['commits'];
  repository: ServiceRepository;
}) {
  const { commits, repository } = props;
  const sections = SECTIONS.filter(s => commits[s.bump].length > 0);
  if (sections.length === 0) return null;
  return (
    <>
      {sections.map(({ bump, title }) => (
        <Box key={bump} component="section" aria-label={title} mt={2}>
          <Typography variant="subtitle2">
            {`${title} (${commits[bump].length})`}
          </Typography>
          <List dense disablePadding>
            {commits[bump].map(commit => (
              <CommitLine
                key={commit.sha}
                commit={commit}
                repository={repository}
              />
            ))}
          </List>
        </Box>
      ))}
    </>
  );
}
