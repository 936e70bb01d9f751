import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import {
  accountCreatePermission,
  accountReadPermission,
  accountUpdatePermission,
  accountsExportPermission,
} from '@fleet-portal/plugin-accounts-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { AccountsExporter } from '../export/AccountsExporter';
import { AccountsStore } from '../registry/AccountsStore';
import { EnvironmentConfig, placementProblem } from '../registry/environments';
import {
  accountNameSchema,
  createAccountSchema,
  listQuerySchema,
  parse,
  updateAccountSchema,
} from './validation';

/** @internal */
export interface RouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  store: AccountsStore;
  /** Absent when no export target is configured. */
  exporter?: AccountsExporter;
  environments: EnvironmentConfig[];
}

/** Who acts: the user, or the service calling on nobody's behalf. */
function actorOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  return principal.userEntityRef ?? `${principal.type}:${principal.subject}`;
}

/**
 * The accounts REST API. Validates requests, checks permissions and emits
 * audit events; the work is done by the services handed in.
 *
 * @internal
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, permissions, auditor, store, exporter, environments } =
    options;

  function requireExporter(): AccountsExporter {
    if (!exporter) {
      throw new NotFoundError(
        'No export target is configured (accounts.export in app-config)',
      );
    }
    return exporter;
  }
  const router = Router();
  router.use(express.json({ limit: '256kb' }));

  async function authorize(req: Request, permission: BasicPermission) {
    const credentials = await httpAuth.credentials(req);
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed: ${permission.name}`);
    }
    return credentials;
  }

  function checkPlacement(placement: {
    environment: string;
    region: string;
    cluster: string;
  }) {
    const problem = placementProblem(environments, placement);
    if (problem) {
      throw new InputError(`Invalid ${problem.field}: ${problem.message}`);
    }
  }

  /** Runs a mutation inside one audit event (actor, account, outcome). */
  async function audited<T>(
    req: Request,
    eventId: string,
    account: string,
    fn: () => Promise<T>,
  ): Promise<T> {
    const event = await auditor.createEvent({
      eventId,
      request: req,
      severityLevel: 'medium',
      meta: { account },
    });
    try {
      const result = await fn();
      await event.success();
      return result;
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/environments', async (req, res) => {
    await authorize(req, accountReadPermission);
    res.json({ items: environments });
  });

  router.get('/accounts', async (req, res) => {
    await authorize(req, accountReadPermission);
    const { uat, ...query } = parse(listQuerySchema, req.query, 'query');
    res.json(await store.listAccounts({ ...query, isUat: uat }));
  });

  router.post('/accounts', async (req, res) => {
    // Not validated yet: bounded so that junk cannot flood the audit log.
    const name = String(req.body?.name ?? '').slice(0, 63);
    await audited(req, 'account-create', name, async () => {
      const credentials = await authorize(req, accountCreatePermission);
      const input = parse(createAccountSchema, req.body);
      checkPlacement(input);
      const account = await store.createAccount(input, actorOf(credentials));
      exporter?.requestExport();
      res.status(201).json(account);
    });
  });

  router.get('/accounts/:name', async (req, res) => {
    await authorize(req, accountReadPermission);
    const name = parse(accountNameSchema, req.params.name, 'name');
    const account = await store.getAccount(name);
    if (!account) {
      throw new NotFoundError(`No account named '${name}'`);
    }
    res.json(account);
  });

  router.patch('/accounts/:name', async (req, res) => {
    await audited(req, 'account-update', req.params.name, async () => {
      const credentials = await authorize(req, accountUpdatePermission);
      const name = parse(accountNameSchema, req.params.name, 'name');
      const { version, ...changes } = parse(updateAccountSchema, req.body);
      const current = await store.getAccount(name);
      if (!current) {
        throw new NotFoundError(`No account named '${name}'`);
      }
      checkPlacement({ ...current, ...changes });
      const account = await store.updateAccount(
        name,
        changes,
        version,
        actorOf(credentials),
      );
      exporter?.requestExport();
      res.json(account);
    });
  });

  router.get('/accounts/:name/history', async (req, res) => {
    await authorize(req, accountReadPermission);
    const name = parse(accountNameSchema, req.params.name, 'name');
    if (!(await store.getAccount(name))) {
      throw new NotFoundError(`No account named '${name}'`);
    }
    res.json({ items: await store.getHistory(name) });
  });

  router.post('/export', async (req, res) => {
    await audited(req, 'accounts-export', '*', async () => {
      await authorize(req, accountsExportPermission);
      const document = await requireExporter().exportNow();
      res.json({
        target: requireExporter().describeTarget(),
        generatedAt: document.generatedAt,
        accounts: document.accounts.length,
      });
    });
  });

  router.get('/export', async (req, res) => {
    await authorize(req, accountReadPermission);
    const document = await requireExporter().lastExport();
    if (!document) {
      throw new NotFoundError('accounts.json has not been exported yet');
    }
    res.json(document);
  });

  return router;
}
