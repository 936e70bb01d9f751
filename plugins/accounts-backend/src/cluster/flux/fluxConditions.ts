/**
 * Reasons of a not-Ready Flux object that is on its way rather than failing:
 * Flux's progressing reasons, and waiting for a dependency (another
 * HelmRelease or Kustomization, or an ImageRepository without tags yet).
 * Read by the deploy readiness summary and the health model alike.
 */
export const WAITING_REASONS: ReadonlySet<string> = new Set([
  'Progressing',
  'ProgressingWithRetry',
  'DependencyNotReady',
  'Reconciling',
]);
