import { HttpAuthService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  FluxActionResult,
  accountFluxReconcilePermission,
  accountFluxResumePermission,
  accountFluxSuspendPermission,
} from '@fleet-portal/plugin-accounts-common';
import { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { FluxActions } from '../cluster/flux/FluxActions';
import { FluxTarget } from '../cluster/flux/fluxObjectRef';
import { AccountsAuthorizer } from '../permissions/AccountsAuthorizer';
import { RequestSupport, actorOf } from './requestSupport';
import { accountNameSchema, parse } from './validation';

/** A HelmRelease is named after its service: a DNS-1123 label. */
const releaseNameSchema = z
  .string()
  .max(63, 'must be at most 63 characters')
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    'must be a DNS-1123 label: lowercase letters, digits and inner dashes',
  );

/** Body of `POST .../helmreleases/{release}/reconcile`. */
const releaseReconcileSchema = z.strictObject({
  force: z.boolean('must be true or false').optional(),
  reset: z.boolean('must be true or false').optional(),
});

/** The other actions take no options. */
const noOptionsSchema = z.strictObject({});

const actions = {
  reconcile: accountFluxReconcilePermission,
  suspend: accountFluxSuspendPermission,
  resume: accountFluxResumePermission,
} as const;

type Action = keyof typeof actions;

/**
 * `POST /accounts/{name}/helmreleases/{release}/{reconcile|suspend|resume}`
 * and `POST /accounts/{name}/kustomization/{reconcile|suspend|resume}`:
 * each checks its permission on the account, validates, runs the
 * {@link FluxActions} action and emits one audit event.
 */
export function createFluxRoutes(options: {
  httpAuth: HttpAuthService;
  authorizer: AccountsAuthorizer;
  support: RequestSupport;
  /** Absent when no cluster is configured. */
  flux?: FluxActions;
}) {
  const { httpAuth, authorizer, support } = options;
  const router = Router();

  async function run(
    req: Request,
    action: Action,
    target: () => FluxTarget,
  ): Promise<FluxActionResult> {
    const credentials = await httpAuth.credentials(req);
    const permission = actions[action];
    // Denied outright: 403 before looking at the input.
    const decision = await authorizer.decide(credentials, permission);
    const name = parse(accountNameSchema, req.params.name, 'name');
    const validated = target();
    const body = req.body ?? {};
    const reconcileOptions =
      action === 'reconcile' && validated.kind === 'HelmRelease'
        ? parse(releaseReconcileSchema, body)
        : parse(noOptionsSchema, body);
    const account = await support.readableAccount(req, name);
    // Conditions (e.g. "staging only") hold for this account.
    authorizer.assertAllows(decision, permission, [account]);
    if (!options.flux) throw new NotFoundError('No clusters are configured');
    if (action === 'reconcile') {
      return options.flux.reconcile(account, validated, reconcileOptions);
    }
    if (action === 'suspend') {
      return options.flux.suspend(account, validated, actorOf(credentials));
    }
    return options.flux.resume(account, validated);
  }

  for (const action of Object.keys(actions) as Action[]) {
    router.post(`/accounts/:name/helmreleases/:release/${action}`, (req, res) =>
      audited(req, res, action, () => ({
        kind: 'HelmRelease',
        name: parse(releaseNameSchema, req.params.release, 'release'),
      })),
    );
    router.post(`/accounts/:name/kustomization/${action}`, (req, res) =>
      audited(req, res, action, () => ({ kind: 'Kustomization' })),
    );
  }

  async function audited(
    req: Request,
    res: { json(body: unknown): void },
    action: Action,
    target: () => FluxTarget,
  ) {
    await support.audited(
      req,
      `account-flux-${action}`,
      req.params.name,
      async () => {
        const result = await run(req, action, target);
        res.json(result);
        return result;
      },
      result => ({
        kind: result.kind,
        object: `${result.namespace}/${result.name}`,
        handled: result.handled,
        suspended: result.suspended,
        ...(result.requestedAt && { requestedAt: result.requestedAt }),
      }),
    );
  }

  return router;
}
