import { Entity } from '@backstage/catalog-model';
import {
  InfoCard,
  Link,
  StructuredMetadataTable,
  WarningPanel,
} from '@backstage/core-components';
import {
  ServiceReleases,
  ServiceRepository,
} from '@fleet-portal/plugin-accounts-common';
import Box from '@material-ui/core/Box';
import { GITHUB_PROJECT_SLUG_ANNOTATION } from '../../annotations';
import { commitUrl, shortSha } from '../../format';

function RepositoryValue({ repository }: { repository: ServiceRepository }) {
  if (repository.url) {
    return <Link to={repository.url}>{repository.name}</Link>;
  }
  // A local repository is a folder on the backend's disk.
  return (
    <>
      <code>{repository.name}</code>
      {repository.kind === 'local' && ' (local repository)'}
    </>
  );
}

function HeadValue(props: { repository: ServiceRepository; head: string }) {
  const { repository, head } = props;
  const url = commitUrl(repository, head);
  const sha = <code title={head}>{shortSha(head)}</code>;
  return url ? <Link to={url}>{sha}</Link> : sha;
}

/**
 * Releases come from the repository the backend is configured with, not
 * from the catalog. The component's `github.com/project-slug` still matters
 * to the catalog's other GitHub features, so for a GitHub repository a
 * missing annotation gets a hint, and one naming another repository a
 * warning. A local repository (the embedded defaults) has no slug at all.
 */
function ProjectSlugWarning(props: {
  entity: Entity;
  repository: ServiceRepository;
}) {
  const { entity, repository } = props;
  if (repository.kind !== 'github') return null;
  const slug = entity.metadata.annotations?.[GITHUB_PROJECT_SLUG_ANNOTATION];
  if (
    slug?.toLocaleLowerCase('en-US') ===
    repository.name.toLocaleLowerCase('en-US')
  ) {
    return null;
  }
  return (
    <Box mt={2}>
      {slug ? (
        <WarningPanel
          title="The catalog names another repository"
          message={`This component's ${GITHUB_PROJECT_SLUG_ANNOTATION} annotation is ${slug}, but its releases are read from and created in ${repository.name} (accounts.releases in the app-config). One of the two is out of date.`}
        />
      ) : (
        <WarningPanel
          severity="info"
          title="No GitHub repository in the catalog"
          message={`Releases are read from ${repository.name} (accounts.releases in the app-config). Add the annotation ${GITHUB_PROJECT_SLUG_ANNOTATION}: ${repository.name} to this component so the catalog's GitHub features find it too.`}
        />
      )}
    </Box>
  );
}

/**
 * Where the service's releases come from, as the backend reads them: the
 * catalog component, its repository, its Flux HelmRelease (the service's
 * name for the backend), and the branch and commit the next release tags.
 */
export function ServiceCard(props: {
  entity: Entity;
  releases: ServiceReleases;
}) {
  const { entity, releases } = props;
  const { repository } = releases;
  return (
    <InfoCard title="Service">
      <StructuredMetadataTable
        metadata={{
          service: entity.metadata.title ?? entity.metadata.name,
          repository: <RepositoryValue repository={repository} />,
          'Flux HelmRelease': releases.service,
          branch: releases.branch,
          head: <HeadValue repository={repository} head={releases.head} />,
        }}
      />
      <ProjectSlugWarning entity={entity} repository={repository} />
    </InfoCard>
  );
}
