import {
  CodeSnippet,
  Content,
  EmptyState,
  Link,
  Progress,
  ResponseErrorPanel,
  StatusOK,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { ServiceRelease } from '@fleet-portal/plugin-accounts-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  GITHUB_PROJECT_SLUG_ANNOTATION,
  serviceNameOf,
} from '../../annotations';
import { releasesApiRef } from '../../api';
import { serverError } from '../../errors';
import { shortSha } from '../../format';
import { NextReleaseCard } from '../NextReleaseCard';
import { ReleasesTable } from '../ReleasesTable';
import { ServiceCard } from '../ServiceCard';

/**
 * Shown when the backend has no release source for the service (404): what
 * the backend said, and the app-config entry that would give it one.
 */
function NoReleaseSource(props: {
  service: string;
  slug?: string;
  message: string;
}) {
  const { service, slug, message } = props;
  const config = [
    'accounts:',
    '  releases:',
    '    github:',
    '      repositories:',
    `        ${service}: ${slug ?? 'owner/repo'}`,
  ].join('\n');
  return (
    <EmptyState
      missing="info"
      title={`No release source for ${service}`}
      description={
        <>
          {/* Inside the empty state's own paragraph: spans, not paragraphs. */}
          <Typography component="span" display="block" paragraph>
            {`The releases of ${service} are read from its repository, which the accounts.releases section of the app-config must configure for this service. The backend answered: ${message}`}
          </Typography>
          <Typography component="span" display="block" variant="body2">
            For a GitHub repository, for example:
          </Typography>
        </>
      }
      action={<CodeSnippet language="yaml" text={config} />}
    />
  );
}

/** Says which tag the last action created, and on which commit. */
function CreatedNotice({ release }: { release: ServiceRelease }) {
  const tag = release.url ? (
    <Link to={release.url}>{release.tag}</Link>
  ) : (
    release.tag
  );
  return (
    <Box
      role="status"
      aria-label="Created release"
      display="flex"
      alignItems="center"
    >
      <StatusOK />
      <Typography variant="body1">
        {release.candidate ? 'Created release candidate ' : 'Released '}
        <strong>{tag}</strong>
        {` on ${shortSha(release.sha)}.`}
      </Typography>
    </Box>
  );
}

/**
 * The Releases tab of a service component: where its releases come from,
 * the next version with the commits behind it and the actions to release
 * it, and every release and release candidate made. The service is named
 * by the component's `fleet-portal.io/helm-release` annotation, else by
 * the component's name.
 */
export function ReleasesContent() {
  const { entity } = useEntity();
  const api = useApi(releasesApiRef);
  const service = serviceNameOf(entity);
  const [created, setCreated] = useState<ServiceRelease>();
  const state = useAsyncRetry(
    () => api.getServiceReleases(service),
    [api, service],
  );

  let body: JSX.Element;
  // A re-read after a release keeps showing the last answer meanwhile.
  if (state.loading && !state.value) {
    body = <Progress />;
  } else if (state.error) {
    const { status, message } = serverError(state.error);
    body =
      status === 404 ? (
        <NoReleaseSource
          service={service}
          slug={entity.metadata.annotations?.[GITHUB_PROJECT_SLUG_ANNOTATION]}
          message={message}
        />
      ) : (
        <ResponseErrorPanel error={state.error} />
      );
  } else {
    const releases = state.value!;
    body = (
      <Grid container spacing={3}>
        <Grid item xs={12} md={5}>
          <ServiceCard entity={entity} releases={releases} />
        </Grid>
        <Grid item xs={12} md={7}>
          <NextReleaseCard
            releases={releases}
            onReleased={release => {
              setCreated(release);
              state.retry();
            }}
          />
        </Grid>
        <Grid item xs={12}>
          <ReleasesTable
            releases={releases.releases}
            repository={releases.repository}
          />
        </Grid>
      </Grid>
    );
  }

  return (
    <Content>
      {created && (
        <Box mb={2}>
          <CreatedNotice release={created} />
        </Box>
      )}
      {body}
    </Content>
  );
}
