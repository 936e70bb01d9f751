import { HttpAuthService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { accountReadPermission } from '@fleet-portal/plugin-accounts-common';
import Router from 'express-promise-router';
import { FleetService } from '../fleet/FleetService';
import { AccountsAuthorizer } from '../permissions/AccountsAuthorizer';
import { RequestSupport } from './requestSupport';
import { accountNameSchema, fleetQuerySchema, parse } from './validation';

/**
 * `GET /fleet` (the matrix of accounts × services, filtered in the registry
 * query and over the cached live state) and `GET /accounts/{name}/status`
 * (one account's releases, Kustomization and workloads). Both read only
 * accounts the caller may read.
 */
export function createFleetRoutes(options: {
  httpAuth: HttpAuthService;
  authorizer: AccountsAuthorizer;
  support: RequestSupport;
  /** Absent when no cluster is configured. */
  fleet?: FleetService;
}) {
  const { httpAuth, authorizer, support } = options;
  const router = Router();

  function requireFleet(): FleetService {
    if (!options.fleet) {
      throw new NotFoundError(
        'No cluster is configured (kubernetes.clusterLocatorMethods or accounts.environments[].clusters[].kubeconfig)',
      );
    }
    return options.fleet;
  }

  router.get('/fleet', async (req, res) => {
    const query = parse(fleetQuerySchema, req.query, 'query');
    const fleet = requireFleet();
    const permissionFilter = await authorizer.listFilter(
      await httpAuth.credentials(req),
      accountReadPermission,
    );
    const matrix = await fleet.matrix({
      environment: query.environment,
      region: query.region,
      cluster: query.cluster,
      uat: query.uat,
      services: query.service,
      states: query.state,
      permissionFilter,
    });
    // The version changes with every input; a client polling for updates
    // gets a 304 while nothing changed.
    const etag = `W/"${matrix.version}"`;
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', 'private, no-cache');
    if (req.headers['if-none-match'] === etag) {
      res.status(304).end();
      return;
    }
    res.json(matrix);
  });

  router.get('/accounts/:name/status', async (req, res) => {
    const name = parse(accountNameSchema, req.params.name, 'name');
    const account = await support.readableAccount(req, name);
    res.json(await requireFleet().accountStatus(account));
  });

  return router;
}
