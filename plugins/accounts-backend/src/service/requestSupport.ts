import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  Account,
  accountReadPermission,
} from '@fleet-portal/plugin-accounts-common';
import { Request } from 'express';
import { AccountsAuthorizer } from '../permissions/AccountsAuthorizer';
import { AccountsStore } from '../registry/AccountsStore';

/** Who acts: the user, or the service calling on nobody's behalf. */
export function actorOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  return principal.userEntityRef ?? `${principal.type}:${principal.subject}`;
}

/** Plain fields added to an audit event. */
export type AuditMeta = Record<string, string | number | boolean>;

/** What the route modules share: reading accounts and auditing. */
export interface RequestSupport {
  /** The account, if it exists and the caller may read it; else 404. */
  readableAccount(req: Request, name: string): Promise<Account>;
  /**
   * Runs a mutation inside one audit event (actor, account, outcome);
   * `outcome` adds what the success produced (e.g. a commit sha).
   */
  audited<T>(
    req: Request,
    eventId: string,
    account: string,
    fn: () => Promise<T>,
    outcome?: (result: T) => AuditMeta,
  ): Promise<T>;
}

export function createRequestSupport(options: {
  httpAuth: HttpAuthService;
  authorizer: AccountsAuthorizer;
  auditor: AuditorService;
  store: AccountsStore;
}): RequestSupport {
  const { httpAuth, authorizer, auditor, store } = options;
  return {
    async readableAccount(req, name) {
      const credentials = await httpAuth.credentials(req);
      const decision = await authorizer.decide(
        credentials,
        accountReadPermission,
      );
      const account = await store.getAccount(name);
      // Hidden accounts answer like missing ones: their names do not leak.
      if (!account || !authorizer.allows(decision, account)) {
        throw new NotFoundError(`No account named '${name}'`);
      }
      return account;
    },
    async audited(req, eventId, account, fn, outcome) {
      const event = await auditor.createEvent({
        eventId,
        request: req,
        severityLevel: 'medium',
        meta: { account },
      });
      try {
        const result = await fn();
        await event.success(outcome ? { meta: outcome(result) } : undefined);
        return result;
      } catch (error) {
        await event.fail({ error: error as Error });
        throw error;
      }
    },
  };
}
