import {
  AuditorService,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  accountCreatePermission,
  accountReadPermission,
  accountUpdatePermission,
  accountsExportPermission,
} from '@fleet-portal/plugin-accounts-common';
import express from 'express';
import Router from 'express-promise-router';
import { AccountsExporter } from '../export/AccountsExporter';
import { AccountConfigService } from '../gitops/AccountConfigService';
import { AccountsAuthorizer } from '../permissions/AccountsAuthorizer';
import { AccountsStore } from '../registry/AccountsStore';
import { EnvironmentConfig, placementProblem } from '../registry/environments';
import {
  accountNameSchema,
  createAccountSchema,
  dryRunQuerySchema,
  listQuerySchema,
  parse,
  updateAccountSchema,
} from './validation';
import { createConfigRoutes } from './configRoutes';
import { createWorkflowRoutes } from './workflowRoutes';
import { createFluxRoutes } from './fluxRoutes';
import { createFleetRoutes } from './fleetRoutes';
import { createReleaseRoutes } from './releaseRoutes';
import { ReleaseService } from '../releases/ReleaseService';
import { FleetService } from '../fleet/FleetService';
import { FluxActions } from '../cluster/flux/FluxActions';
import { actorOf, createRequestSupport } from './requestSupport';

/** @internal */
export interface RouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  authorizer: AccountsAuthorizer;
  auditor: AuditorService;
  store: AccountsStore;
  /** Absent when no export target is configured. */
  exporter?: AccountsExporter;
  environments: EnvironmentConfig[];
  /** Absent when no config repository is configured. */
  config?: AccountConfigService;
  /** Services deployable into accounts (from `accounts.gitops.services`). */
  services?: string[];
  /** Clusters, provisioning and deploys. */
  workflows?: Omit<
    Parameters<typeof createWorkflowRoutes>[0],
    'httpAuth' | 'authorizer' | 'support' | 'config'
  >;
  /** Reconcile, suspend and resume; absent when no cluster is configured. */
  flux?: FluxActions;
  /** The fleet matrix and account status; absent when no cluster is configured. */
  fleet?: FleetService;
  /** Services' releases; absent when `accounts.releases` is not configured. */
  releases?: ReleaseService;
}

/** Audit fields of an account not yet created, for checking conditions. */
const pendingAuditFields = {
  createdAt: '',
  createdBy: '',
  updatedAt: '',
  updatedBy: '',
  version: 0,
};

/**
 * The accounts REST API. Validates requests, checks permissions and emits
 * audit events; the work is done by the services handed in.
 *
 * @internal
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, authorizer, auditor, store, exporter, environments } =
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

  const support = createRequestSupport({
    httpAuth,
    authorizer,
    auditor,
    store,
  });
  const { readableAccount, audited } = support;

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

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/environments', async (req, res) => {
    await authorizer.decide(
      await httpAuth.credentials(req),
      accountReadPermission,
    );
    res.json({ items: environments });
  });

  router.get('/capabilities', async (req, res) => {
    res.json(await authorizer.capabilities(await httpAuth.credentials(req)));
  });

  router.get('/accounts', async (req, res) => {
    const permissionFilter = await authorizer.listFilter(
      await httpAuth.credentials(req),
      accountReadPermission,
    );
    const { uat, ...query } = parse(listQuerySchema, req.query, 'query');
    res.json(
      await store.listAccounts({ ...query, isUat: uat, permissionFilter }),
    );
  });

  router.post('/accounts', async (req, res) => {
    const { dryRun } = parse(dryRunQuerySchema, req.query, 'query');
    // Not validated yet: bounded so that junk cannot flood the audit log.
    const name = String(req.body?.name ?? '').slice(0, 63);
    await audited(req, 'account-create', name, async () => {
      const credentials = await httpAuth.credentials(req);
      // Denied outright: 403 before looking at the input.
      const decision = await authorizer.decide(
        credentials,
        accountCreatePermission,
      );
      const input = parse(createAccountSchema, req.body);
      checkPlacement(input);
      // Conditions (e.g. "staging only") hold for the account to be created.
      authorizer.assertAllows(decision, accountCreatePermission, [
        { ...input, ...pendingAuditFields },
      ]);
      if (dryRun === 'true') {
        if (await store.getAccount(input.name)) {
          throw new ConflictError(`Account '${input.name}' already exists`);
        }
        res.json({ dryRun: true, account: input });
        return;
      }
      const account = await store.createAccount(input, actorOf(credentials));
      exporter?.requestExport();
      res.status(201).json(account);
    });
  });

  router.get('/accounts/:name', async (req, res) => {
    const name = parse(accountNameSchema, req.params.name, 'name');
    res.json(await readableAccount(req, name));
  });

  router.patch('/accounts/:name', async (req, res) => {
    await audited(req, 'account-update', req.params.name, async () => {
      const credentials = await httpAuth.credentials(req);
      const decision = await authorizer.decide(
        credentials,
        accountUpdatePermission,
      );
      const name = parse(accountNameSchema, req.params.name, 'name');
      const { version, ...changes } = parse(updateAccountSchema, req.body);
      const current = await readableAccount(req, name);
      checkPlacement({ ...current, ...changes });
      // Allowed for the account as it is and as it would be: nobody moves
      // an account out of (or into) what the policy lets them change.
      authorizer.assertAllows(decision, accountUpdatePermission, [
        current,
        { ...current, ...changes },
      ]);
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
    const name = parse(accountNameSchema, req.params.name, 'name');
    await readableAccount(req, name);
    res.json({ items: await store.getHistory(name) });
  });

  router.post('/export', async (req, res) => {
    const { dryRun } = parse(dryRunQuerySchema, req.query, 'query');
    await audited(req, 'accounts-export', '*', async () => {
      await authorizer.authorizeBasic(
        await httpAuth.credentials(req),
        accountsExportPermission,
      );
      if (dryRun === 'true') {
        res.json({
          dryRun: true,
          target: requireExporter().describeTarget(),
          accounts: (await store.allAccounts()).length,
        });
        return;
      }
      const document = await requireExporter().exportNow();
      res.json({
        target: requireExporter().describeTarget(),
        generatedAt: document.generatedAt,
        accounts: document.accounts.length,
      });
    });
  });

  router.get('/export', async (req, res) => {
    // accounts.json holds every account: only for those who may read all.
    const filter = await authorizer.listFilter(
      await httpAuth.credentials(req),
      accountReadPermission,
    );
    if (filter) {
      throw new NotAllowedError(
        'Not allowed: accounts.account.read for every account',
      );
    }
    const document = await requireExporter().lastExport();
    if (!document) {
      throw new NotFoundError('accounts.json has not been exported yet');
    }
    res.json(document);
  });

  router.use(
    createReleaseRoutes({
      httpAuth,
      authorizer,
      auditor,
      services: options.services ?? [],
      releases: options.releases,
    }),
  );

  router.use(
    createWorkflowRoutes({
      httpAuth,
      authorizer,
      support,
      config: options.config,
      clusters: options.workflows?.clusters ?? [],
      ...options.workflows,
    }),
  );

  router.use(
    createFluxRoutes({ httpAuth, authorizer, support, flux: options.flux }),
  );

  router.use(
    createFleetRoutes({ httpAuth, authorizer, support, fleet: options.fleet }),
  );

  router.use(
    createConfigRoutes({
      logger: options.logger,
      httpAuth,
      authorizer,
      support,
      config: options.config,
    }),
  );

  return router;
}
