import {
  Content,
  EmptyState,
  InfoCard,
  Link,
  StructuredMetadataTable,
  WarningPanel,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import {
  GITHUB_PROJECT_SLUG_ANNOTATION,
  HELM_RELEASE_ANNOTATION,
} from '../../annotations';

/** The Releases tab of a service component. */
export function ReleasesContent() {
  const { entity } = useEntity();
  const annotations = entity.metadata.annotations ?? {};
  const slug = annotations[GITHUB_PROJECT_SLUG_ANNOTATION];
  const helmRelease =
    annotations[HELM_RELEASE_ANNOTATION] ?? entity.metadata.name;

  return (
    <Content>
      <Grid container spacing={3}>
        {!slug && (
          <Grid item xs={12}>
            <WarningPanel
              title="No GitHub repository"
              message={`Add the ${GITHUB_PROJECT_SLUG_ANNOTATION} annotation (owner/repo) to this component so its releases can be read and created.`}
            />
          </Grid>
        )}
        <Grid item xs={12} md={6}>
          <InfoCard title="Service">
            <StructuredMetadataTable
              metadata={{
                service: entity.metadata.name,
                repository: slug ? (
                  <Link to={`https://github.com/${slug}`}>{slug}</Link>
                ) : (
                  'not set'
                ),
                'Flux HelmRelease': helmRelease,
              }}
            />
          </InfoCard>
        </Grid>
        <Grid item xs={12}>
          <EmptyState
            missing="data"
            title="No releases to show yet"
            description="Releases, release candidates and the accounts running each version are listed here once the release source of this service is connected."
          />
        </Grid>
      </Grid>
    </Content>
  );
}
