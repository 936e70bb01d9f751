/**
 * The Fleet Portal Releases tab for service components.
 *
 * @packageDocumentation
 */

export { releasesPlugin as default } from './plugin';
export { isReleasableService } from './annotations';
