import {
  Account,
  AccountReadiness,
} from '@fleet-portal/plugin-accounts-common';
import { setTimeout as sleep } from 'timers/promises';
import { revisionSha } from '../cluster/readiness/summarizeReadiness';
import { AccountClusterSide } from './AccountClusterSide';

/** Readings of the cluster in a row that may fail before the wait does. */
export const MAX_MISSED_READINGS = 3;

/** How long to wait for Flux, and how often to look. */
export interface WaitOptions {
  timeoutMs: number;
  intervalMs: number;
}

/**
 * Waits until Flux has applied `commit` (or a later head of the branch) to
 * the account and its HelmReleases are Ready. Returns the last readiness read;
 * the caller decides what a `failed`, `suspended` or unfinished one means.
 *
 * The branch only ever moves forward (commits never force), so a head read
 * after our commit contains it: when Flux has already applied that newer head,
 * our change is in it.
 */
export async function waitForFlux(args: {
  cluster: AccountClusterSide;
  account: Account;
  commit: string;
  /** The branch's current head, to accept a newer applied revision. */
  head: () => Promise<string>;
  options: WaitOptions;
  signal: AbortSignal;
  onProgress: (readiness: AccountReadiness) => Promise<void>;
}): Promise<{ readiness: AccountReadiness; timedOut: boolean }> {
  const { cluster, account, options, signal } = args;
  const deadline = Date.now() + options.timeoutMs;
  let wanted = args.commit;
  let lastMessage = '';
  let missed = 0;
  for (;;) {
    let readiness: AccountReadiness;
    try {
      readiness = await cluster.readiness(account, wanted);
      missed = 0;
    } catch (error) {
      // A wait lasts minutes: one dropped connection or an API server
      // restarting must not fail a deploy, but a cluster that stays away
      // fails it now rather than at the timeout.
      missed += 1;
      if (missed >= MAX_MISSED_READINGS || Date.now() >= deadline) throw error;
      await sleep(options.intervalMs, undefined, { signal });
      continue;
    }
    const applied = revisionSha(readiness.kustomization?.lastAppliedRevision);
    if (readiness.state === 'progressing' && applied && applied !== wanted) {
      const head = await args.head();
      if (head === applied) {
        wanted = head;
        readiness = await cluster.readiness(account, wanted);
      }
    }
    if (readiness.message !== lastMessage) {
      lastMessage = readiness.message;
      await args.onProgress(readiness);
    }
    if (readiness.state !== 'progressing' && readiness.state !== 'missing') {
      return { readiness, timedOut: false };
    }
    if (Date.now() >= deadline) return { readiness, timedOut: true };
    await sleep(
      Math.min(options.intervalMs, deadline - Date.now()),
      undefined,
      {
        signal,
      },
    );
  }
}
