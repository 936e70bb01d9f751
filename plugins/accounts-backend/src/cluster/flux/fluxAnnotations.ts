/*
 * Annotations Fleet Portal and Flux write on Flux objects.
 */

/** Flux reconciles the object when this changes (`flux reconcile`). */
export const REQUESTED_AT_ANNOTATION = 'reconcile.fluxcd.io/requestedAt';
/** With `requestedAt`, makes helm-controller force a one-off upgrade. */
export const FORCE_AT_ANNOTATION = 'reconcile.fluxcd.io/forceAt';
/** With `requestedAt`, makes helm-controller reset its failure counters. */
export const RESET_AT_ANNOTATION = 'reconcile.fluxcd.io/resetAt';

/** Who suspended the object through the portal (an entity ref). */
export const SUSPENDED_BY_ANNOTATION = 'fleet-portal.io/suspended-by';
/** When it was suspended through the portal (ISO 8601). */
export const SUSPENDED_AT_ANNOTATION = 'fleet-portal.io/suspended-at';
