import { Entity } from '@backstage/catalog-model';

/** The standard annotation tying a component to its GitHub repository. */
export const GITHUB_PROJECT_SLUG_ANNOTATION = 'github.com/project-slug';

/** Fleet Portal's annotation naming the service's Flux HelmRelease. */
export const HELM_RELEASE_ANNOTATION = 'fleet-portal.io/helm-release';

/**
 * Whether an entity gets the Releases tab: a `Component` of type `service`.
 *
 * @public
 */
export function isReleasableService(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'component' &&
    String(entity.spec?.type ?? '').toLocaleLowerCase('en-US') === 'service'
  );
}

/**
 * The service's name for the release routes of the accounts backend: its
 * Flux HelmRelease (`fleet-portal.io/helm-release`), else the entity name.
 *
 * @public
 */
export function serviceNameOf(entity: Entity): string {
  return (
    entity.metadata.annotations?.[HELM_RELEASE_ANNOTATION] ??
    entity.metadata.name
  );
}
