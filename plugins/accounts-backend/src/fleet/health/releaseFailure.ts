import { KubeObject } from '../../cluster/ClusterClient';
import {
  conditionText,
  currentTrue,
  describe,
  findCondition,
  FluxStatus,
  isCurrent,
  readyFailure,
  StatusCondition,
  statusOf,
} from './fluxStatus';

/** One `status.history` entry of a HelmRelease (a Helm release snapshot). */
export interface HelmSnapshot {
  version?: number;
  chartName?: string;
  chartVersion?: string;
  appVersion?: string;
  status?: string;
  firstDeployed?: string;
  lastDeployed?: string;
}

/** The HelmRelease status fields the health model reads. */
export interface HelmReleaseStatus extends FluxStatus {
  history?: HelmSnapshot[];
  lastAttemptedRevision?: string;
  lastAttemptedGeneration?: number;
  lastAttemptedReleaseAction?: string;
  failures?: number;
  installFailures?: number;
  upgradeFailures?: number;
}

/** The Helm action that failed: Flux's last attempted one, or Released's reason. */
function failedAction(
  status: HelmReleaseStatus,
  released: StatusCondition | undefined,
): string {
  if (status.lastAttemptedReleaseAction) {
    return status.lastAttemptedReleaseAction;
  }
  if (released?.reason === 'InstallFailed') return 'install';
  if (released?.reason === 'UpgradeFailed') return 'upgrade';
  return 'release';
}

function capitalized(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** What the remediation did, after "… failed". */
function remediationOutcome(
  remediated: StatusCondition,
  status: HelmReleaseStatus,
): string {
  switch (remediated.reason) {
    case 'RollbackSucceeded': {
      // Helm rolls back by deploying the previous release's chart and values
      // as a new revision, which Flux records at the top of the history.
      const deployed = status.history?.find(s => s.status === 'deployed');
      return deployed?.version !== undefined
        ? ` and was rolled back to Helm revision ${deployed.version} (chart ${
            deployed.chartName ?? ''
          }@${deployed.chartVersion ?? 'unknown'})`
        : ` and was rolled back (${conditionText(remediated)})`;
    }
    case 'UninstallSucceeded':
      return ' and was uninstalled';
    case 'RollbackFailed':
      return `, and so did the rollback (${conditionText(remediated)})`;
    case 'UninstallFailed':
      return `, and so did the uninstall (${conditionText(remediated)})`;
    default:
      return ` and was remediated (${conditionText(remediated)})`;
  }
}

/** The chart the failed attempt was for, unless it is the one rolled back to. */
function attemptedChart(status: HelmReleaseStatus, outcome: string): string {
  const attempted = status.lastAttemptedRevision;
  return attempted && !outcome.includes(`@${attempted})`)
    ? ` to chart ${attempted}`
    : '';
}

/**
 * Why a HelmRelease counts as failed, or `undefined` when it does not. In
 * this order, each only when about the current spec: `Remediated` True
 * while Ready is not True (the install or upgrade failed and was rolled back
 * or uninstalled: says to which revision); `Stalled` True (retries
 * exhausted: Flux stops until the spec changes or a reset is requested);
 * Ready False for a reason other than waiting (`InstallFailed`,
 * `UpgradeFailed`, `TestFailed`, `ArtifactFailed`, …). The sentence carries
 * Flux's message of what failed (`Released` False, else Ready).
 */
export function releaseFailure(release: KubeObject): string | undefined {
  const status = statusOf<HelmReleaseStatus>(release);
  const ready = findCondition(release, 'Ready');
  const stalled = currentTrue(release, 'Stalled');
  const remediated =
    ready?.status === 'True' ? undefined : currentTrue(release, 'Remediated');
  const readyFailed = readyFailure(release);
  if (!remediated && !stalled && !readyFailed) return undefined;

  const releasedCondition = findCondition(release, 'Released');
  const released =
    releasedCondition?.status === 'False' &&
    isCurrent(release, releasedCondition)
      ? releasedCondition
      : undefined;
  const cause = released ?? readyFailed ?? stalled;
  const causeText = cause ? conditionText(cause) : 'no message from Flux';
  const retrying =
    findCondition(release, 'Reconciling')?.status === 'True'
      ? '; Flux will retry'
      : '';
  const gaveUp = stalled
    ? `; ${conditionText(
        stalled,
      )}, so Flux stops retrying until the spec changes or a reset is requested`
    : retrying;
  const name = describe(release);

  if (remediated) {
    const action = failedAction(status, released);
    const outcome = remediationOutcome(remediated, status);
    return `${capitalized(action)} of ${name}${attemptedChart(
      status,
      outcome,
    )} failed${outcome}: ${causeText}${gaveUp}`;
  }
  if (stalled) {
    const head = `${name} is stalled (${stalled.reason ?? 'Stalled'})`;
    return cause === stalled
      ? `${head}: ${causeText}`
      : `${head}: ${causeText}${gaveUp}`;
  }
  return `${name} failed (${
    readyFailed?.reason ?? 'Failed'
  }): ${causeText}${retrying}`;
}
