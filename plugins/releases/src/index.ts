/**
 * The Fleet Portal Releases tab for service components.
 *
 * @packageDocumentation
 */

export { releasesPlugin as default } from './plugin';
export { isReleasableService, serviceNameOf } from './annotations';
export * from './api';
export {
  EntityReleasesContent,
  legacyReleasesPlugin,
  legacyReleasesRouteRef,
  releasesApiFactory,
} from './legacy';
