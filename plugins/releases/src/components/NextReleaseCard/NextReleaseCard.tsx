import {
  InfoCard,
  Link,
  StructuredMetadataTable,
} from '@backstage/core-components';
import {
  NextRelease,
  ServiceRelease,
  ServiceReleases,
} from '@fleet-portal/plugin-accounts-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { formatTimestamp } from '../../format';
import { ReleaseActions } from './ReleaseActions';
import { ReleaseCommitList } from './ReleaseCommitList';

function ReleaseTag({ release }: { release: ServiceRelease }) {
  return release.url ? (
    <Link to={release.url}>{release.tag}</Link>
  ) : (
    <>{release.tag}</>
  );
}

function LatestValue({ latest }: { latest?: ServiceRelease }) {
  if (!latest) return <>none yet</>;
  return (
    <>
      <ReleaseTag release={latest} />
      {latest.createdAt && ` (${formatTimestamp(latest.createdAt)})`}
    </>
  );
}

function CandidatesValue({ candidates }: { candidates: ServiceRelease[] }) {
  if (candidates.length === 0) return <>none</>;
  return (
    <>
      {candidates.map((c, i) => (
        <span key={c.tag}>
          {i > 0 && ', '}
          <ReleaseTag release={c} />
        </span>
      ))}
    </>
  );
}

/** What the next release would be, when something was committed. */
function NextSummary({ next }: { next: NextRelease }) {
  return (
    <StructuredMetadataTable
      metadata={{
        'latest release': <LatestValue latest={next.latest} />,
        'next version': `${next.version} (${next.bump})`,
        'next release candidate': next.candidateTag ?? '—',
        'release candidates so far': (
          <CandidatesValue candidates={next.candidates} />
        ),
      }}
    />
  );
}

/**
 * The next release of the service: the latest release, the version the
 * commits since ask for (by Conventional Commits) and the tag its next
 * release candidate would get, the candidates of it made so far, the
 * commits grouped as the release notes will list them, and the actions to
 * make a release candidate or the release.
 */
export function NextReleaseCard(props: {
  releases: ServiceReleases;
  onReleased: (release: ServiceRelease) => void;
}) {
  const { releases, onReleased } = props;
  const { next } = releases;

  if (!next.version) {
    return (
      <InfoCard title="Next release">
        <StructuredMetadataTable
          metadata={{ 'latest release': <LatestValue latest={next.latest} /> }}
        />
        <Box mt={2}>
          <Typography variant="body1">
            {next.latest
              ? `Nothing to release since ${next.latest.tag}`
              : `Nothing to release: ${releases.branch} has no commits yet`}
          </Typography>
        </Box>
      </InfoCard>
    );
  }

  return (
    <InfoCard title="Next release">
      <NextSummary next={next} />
      <Box mt={2}>
        <ReleaseActions releases={releases} onReleased={onReleased} />
      </Box>
      <Box mt={3}>
        <Typography variant="h6">
          {next.latest ? `Commits since ${next.latest.tag}` : 'Commits'}
        </Typography>
        <ReleaseCommitList
          commits={next.commits}
          repository={releases.repository}
        />
      </Box>
    </InfoCard>
  );
}
