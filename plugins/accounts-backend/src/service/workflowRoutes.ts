import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  Account,
  ClusterInfo,
  accountDeployPermission,
} from '@fleet-portal/plugin-accounts-common';
import { Request } from 'express';
import Router from 'express-promise-router';
import { AccountConfigService } from '../gitops/AccountConfigService';
import { AccountsAuthorizer } from '../permissions/AccountsAuthorizer';
import { AccountClusterSide } from '../workflows/AccountClusterSide';
import { OperationRunner } from '../workflows/OperationRunner';
import { OperationsStore } from '../workflows/OperationsStore';
import { publicOperation } from '../workflows/operationRows';
import { RequestSupport, actorOf } from './requestSupport';
import {
  accountNameSchema,
  deploySchema,
  dryRunQuerySchema,
  operationIdSchema,
  parse,
  readinessQuerySchema,
} from './validation';

/**
 * The cluster-side routes: provisioning, Flux readiness, deploys and their
 * operations, recorded deployments, and the configured clusters.
 */
export function createWorkflowRoutes(options: {
  httpAuth: HttpAuthService;
  authorizer: AccountsAuthorizer;
  support: RequestSupport;
  clusters: ClusterInfo[];
  /** Absent when no cluster is configured. */
  cluster?: AccountClusterSide;
  runner?: OperationRunner;
  operations?: OperationsStore;
  config?: AccountConfigService;
}) {
  const { httpAuth, authorizer, support } = options;
  const router = Router();

  function requireCluster(): AccountClusterSide {
    if (!options.cluster) {
      throw new NotFoundError('No clusters are configured');
    }
    return options.cluster;
  }

  function requireOperations() {
    if (!options.runner || !options.operations) {
      throw new NotFoundError('Deploys are not configured');
    }
    return { runner: options.runner, operations: options.operations };
  }

  /** The account, if the caller may deploy it: 403 or 404 otherwise. */
  async function deployableAccount(req: Request): Promise<Account> {
    const credentials = await httpAuth.credentials(req);
    const decision = await authorizer.decide(
      credentials,
      accountDeployPermission,
    );
    const name = parse(accountNameSchema, req.params.name, 'name');
    const account = await support.readableAccount(req, name);
    authorizer.assertAllows(decision, accountDeployPermission, [account]);
    return account;
  }

  router.get('/clusters', async (_req, res) => {
    res.json({ items: options.clusters });
  });

  router.post('/accounts/:name/provision', async (req, res) => {
    const { dryRun } = parse(dryRunQuerySchema, req.query, 'query');
    await support.audited(
      req,
      'account-provision',
      req.params.name,
      async () => {
        const account = await deployableAccount(req);
        const result = await requireCluster().provision(account, {
          dryRun: dryRun === 'true',
        });
        res.json(result);
        return result;
      },
      result => ({
        cluster: result.cluster,
        dryRun: result.dryRun,
        changed: result.objects.filter(o => o.action !== 'unchanged').length,
      }),
    );
  });

  router.get('/accounts/:name/readiness', async (req, res) => {
    const name = parse(accountNameSchema, req.params.name, 'name');
    const { revision } = parse(readinessQuerySchema, req.query, 'query');
    const account = await support.readableAccount(req, name);
    res.json(await requireCluster().readiness(account, revision));
  });

  router.post('/accounts/:name/deploy', async (req, res) => {
    const { dryRun } = parse(dryRunQuerySchema, req.query, 'query');
    await support.audited(
      req,
      'account-deploy',
      req.params.name,
      async () => {
        const account = await deployableAccount(req);
        const body = parse(deploySchema, req.body ?? {});
        for (const service of Object.keys(body.versions ?? {})) {
          if (!account.services.some(s => s.name === service)) {
            throw new InputError(
              `Invalid versions.${service}: not a service of account '${account.name}'`,
            );
          }
        }
        if (dryRun === 'true') {
          if (!options.config) {
            throw new NotFoundError('No config repository is configured');
          }
          const [preview, provision] = await Promise.all([
            options.config.preview(account, body.versions),
            requireCluster().provision(account, { dryRun: true }),
          ]);
          res.json({ dryRun: true, preview, provision });
          return { dryRun: true, operation: '' };
        }
        requireCluster();
        const operation = await requireOperations().runner.start({
          kind: 'deploy',
          account: account.name,
          requestedBy: actorOf(await httpAuth.credentials(req)),
          reason: body.reason,
          request: { versions: body.versions },
        });
        res.status(202).json(operation);
        return { dryRun: false, operation: operation.id };
      },
      outcome => outcome,
    );
  });

  router.get('/operations/:id', async (req, res) => {
    const id = parse(operationIdSchema, req.params.id, 'id');
    const operation = await requireOperations().operations.get(id);
    // An operation is as visible as its account.
    if (!operation) throw new NotFoundError(`No operation ${id}`);
    await support.readableAccount(req, operation.account).catch(() => {
      throw new NotFoundError(`No operation ${id}`);
    });
    res.json(publicOperation(operation));
  });

  router.get('/accounts/:name/operations', async (req, res) => {
    const name = parse(accountNameSchema, req.params.name, 'name');
    await support.readableAccount(req, name);
    res.json({
      items: await requireOperations().operations.listForAccount(name, 20),
    });
  });

  router.get('/accounts/:name/deployments', async (req, res) => {
    const name = parse(accountNameSchema, req.params.name, 'name');
    await support.readableAccount(req, name);
    res.json({
      items: await requireOperations().operations.listDeployments(name, 50),
    });
  });

  return router;
}
