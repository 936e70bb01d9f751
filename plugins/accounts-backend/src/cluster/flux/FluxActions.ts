import { Config } from '@backstage/config';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  Account,
  FluxActionResult,
} from '@fleet-portal/plugin-accounts-common';
import {
  ClusterClient,
  KubeObject,
  KubeObjectRef,
  describeObject,
} from '../ClusterClient';
import { KubernetesClusters } from '../KubernetesClusters';
import {
  SUSPENDED_AT_ANNOTATION,
  SUSPENDED_BY_ANNOTATION,
} from './fluxAnnotations';
import { FluxTarget, fluxObjectRef } from './fluxObjectRef';
import { ReconcileOptions, reconcileRequest } from './reconcileRequest';
import { ReconcileWait, waitForReconcile } from './waitForReconcile';

/** The account fields a Flux action needs. */
export type FluxAccount = Pick<Account, 'name' | 'cluster' | 'services'>;

/** Default of `accounts.flux.actionWaitSeconds`. */
export const DEFAULT_ACTION_WAIT_SECONDS = 20;
const MAX_ACTION_WAIT_SECONDS = 300;
const DEFAULT_POLL_INTERVAL_MS = 250;

/** One of the account's Flux objects, as it is on its cluster now. */
interface CurrentObject {
  client: ClusterClient;
  ref: KubeObjectRef;
  object: KubeObject;
}

function isSuspended(object: KubeObject | undefined): boolean {
  return (object?.spec as { suspend?: unknown } | undefined)?.suspend === true;
}

/** Flux's Ready condition in one phrase: `Ready: <message>`. */
function readyPhrase(object: KubeObject | undefined): string {
  const conditions =
    (object?.status as { conditions?: Array<Record<string, string>> })
      ?.conditions ?? [];
  const ready = conditions.find(c => c.type === 'Ready');
  if (!ready) return 'no Ready condition yet';
  const state = { True: 'Ready', False: 'not Ready' }[ready.status];
  return `${state ?? 'Ready unknown'}${
    ready.message ? `: ${ready.message}` : ''
  }`;
}

/**
 * What `flux reconcile`, `flux suspend` and `flux resume` do, on an
 * account's HelmReleases and Kustomization, written with JSON merge patches
 * as field manager `fleet-portal`. Reconcile and resume then wait, bounded,
 * for Flux to handle the request; running out of time is an answer
 * (`handled: false`), not an error.
 *
 * @public
 */
export class FluxActions {
  /**
   * Reads `accounts.flux.actionWaitSeconds` (default 20, at most 300); a
   * bad value throws naming the key.
   */
  static fromConfig(
    config: Config,
    options: { clusters: Pick<KubernetesClusters, 'client'> },
  ): FluxActions {
    const key = 'accounts.flux.actionWaitSeconds';
    const seconds =
      config.getOptionalNumber(key) ?? DEFAULT_ACTION_WAIT_SECONDS;
    if (!(seconds >= 0 && seconds <= MAX_ACTION_WAIT_SECONDS)) {
      throw new Error(
        `Invalid config ${key}: must be between 0 and ${MAX_ACTION_WAIT_SECONDS}`,
      );
    }
    return new FluxActions({
      clusters: options.clusters,
      wait: { timeoutMs: seconds * 1000, intervalMs: DEFAULT_POLL_INTERVAL_MS },
    });
  }

  constructor(
    private readonly options: {
      clusters: Pick<KubernetesClusters, 'client'>;
      wait: ReconcileWait;
    },
  ) {}

  /**
   * Asks Flux to reconcile the object now and waits for it. `force` and
   * `reset` are for HelmReleases only. A suspended object is refused with a
   * `ConflictError`, as `flux reconcile` refuses it.
   */
  async reconcile(
    account: FluxAccount,
    target: FluxTarget,
    options: ReconcileOptions = {},
  ): Promise<FluxActionResult> {
    if (target.kind === 'Kustomization' && (options.force || options.reset)) {
      throw new InputError(
        `Invalid ${options.force ? 'force' : 'reset'}: only for HelmReleases`,
      );
    }
    const { client, ref, object } = await this.current(account, target);
    if (isSuspended(object)) {
      throw new ConflictError(
        `${describeObject(ref)} is suspended: resume it before reconciling`,
      );
    }
    const request = reconcileRequest(options);
    await client.mergePatch(ref, {
      metadata: { annotations: request.annotations },
    });
    return this.awaitHandled(account, client, ref, 'reconcile', request.token);
  }

  /**
   * Stops Flux reconciling the object (`spec.suspend: true`) and records
   * who did it and when in the portal's annotations. Nothing is requested
   * of Flux, so the answer is `handled` at once. An object already
   * suspended is left as it is (who suspended it first stays recorded).
   */
  async suspend(
    account: FluxAccount,
    target: FluxTarget,
    actor: string,
  ): Promise<FluxActionResult> {
    const { client, ref, object } = await this.current(account, target);
    const result = {
      ...this.describe(account, ref, 'suspend'),
      handled: true,
      suspended: true,
    };
    if (isSuspended(object)) {
      const annotations = object.metadata.annotations ?? {};
      const by = annotations[SUSPENDED_BY_ANNOTATION];
      const at = annotations[SUSPENDED_AT_ANNOTATION];
      return {
        ...result,
        message: `${describeObject(ref)} was already suspended${
          by ? ` by ${by}` : ''
        }${at ? ` at ${at}` : ''}`,
      };
    }
    await client.mergePatch(ref, {
      metadata: {
        annotations: {
          [SUSPENDED_BY_ANNOTATION]: actor,
          [SUSPENDED_AT_ANNOTATION]: new Date().toISOString(),
        },
      },
      spec: { suspend: true },
    });
    return {
      ...result,
      message: `${describeObject(
        ref,
      )} suspended by ${actor}: Flux leaves it alone until it is resumed`,
    };
  }

  /**
   * Lets Flux reconcile the object again: unsets `spec.suspend`, removes
   * the portal's suspended-by/-at annotations and, as `flux resume` does,
   * requests a reconcile in the same write and waits for it.
   */
  async resume(
    account: FluxAccount,
    target: FluxTarget,
  ): Promise<FluxActionResult> {
    const { client, ref } = await this.current(account, target);
    const request = reconcileRequest();
    await client.mergePatch(ref, {
      metadata: {
        annotations: {
          ...request.annotations,
          // null removes a key in a merge patch.
          [SUSPENDED_BY_ANNOTATION]: null,
          [SUSPENDED_AT_ANNOTATION]: null,
        },
      },
      spec: { suspend: null },
    });
    return this.awaitHandled(account, client, ref, 'resume', request.token);
  }

  /** The object on the cluster; 404 when the account has no such object. */
  private async current(
    account: FluxAccount,
    target: FluxTarget,
  ): Promise<CurrentObject> {
    if (
      target.kind === 'HelmRelease' &&
      !account.services.some(s => s.name === target.name)
    ) {
      throw new NotFoundError(
        `No HelmRelease '${target.name}' in account '${account.name}': the service is not enabled for it`,
      );
    }
    const client = this.options.clusters.client(account.cluster);
    const ref = fluxObjectRef(account.name, target);
    const object = await client.get(ref);
    if (!object) {
      throw new NotFoundError(
        `${describeObject(ref)} not found on cluster '${client.name}'`,
      );
    }
    return { client, ref, object };
  }

  private describe(
    account: FluxAccount,
    ref: KubeObjectRef,
    action: FluxActionResult['action'],
  ) {
    return {
      account: account.name,
      kind: ref.kind as FluxActionResult['kind'],
      namespace: ref.namespace ?? '',
      name: ref.name,
      action,
    };
  }

  private async awaitHandled(
    account: FluxAccount,
    client: ClusterClient,
    ref: KubeObjectRef,
    action: 'reconcile' | 'resume',
    token: string,
  ): Promise<FluxActionResult> {
    const { wait } = this.options;
    const outcome = await waitForReconcile(client, ref, token, wait);
    const what = `${describeObject(ref)}${
      action === 'resume' ? ' resumed' : ''
    }`;
    let message: string;
    if (outcome.handled) {
      message = `${what}: Flux reconciled it, ${readyPhrase(outcome.object)}`;
    } else if (outcome.error) {
      message = `${what}: reconcile requested, but it could not be read back (${outcome.error})`;
    } else if (!outcome.object) {
      message = `${what}: reconcile requested, but it is gone from cluster '${client.name}'`;
    } else {
      message = `${what}: reconcile requested; Flux has not handled it within ${
        wait.timeoutMs / 1000
      } s and will when its controller gets to it`;
    }
    return {
      ...this.describe(account, ref, action),
      requestedAt: token,
      handled: outcome.handled,
      suspended: isSuspended(outcome.object),
      message,
    };
  }
}
