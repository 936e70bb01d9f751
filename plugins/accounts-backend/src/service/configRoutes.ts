import { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { accountConfigCommitPermission } from '@fleet-portal/plugin-accounts-common';
import Router from 'express-promise-router';
import { AccountConfigService } from '../gitops/AccountConfigService';
import { ConfigRepositoryConflictError } from '../gitops/ConfigRepository';
import { AccountsAuthorizer } from '../permissions/AccountsAuthorizer';
import { RequestSupport, actorOf } from './requestSupport';
import {
  accountNameSchema,
  configCommitSchema,
  configPreviewSchema,
  parse,
} from './validation';

/**
 * The config repository routes of one account: its folder as committed, the
 * preview of a commit, and the commit.
 */
export function createConfigRoutes(options: {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  authorizer: AccountsAuthorizer;
  support: RequestSupport;
  /** Absent when no config repository is configured. */
  config?: AccountConfigService;
}) {
  const { httpAuth, authorizer, support } = options;
  const router = Router();

  function requireConfig(): AccountConfigService {
    if (!options.config) {
      throw new NotFoundError(
        'No config repository is configured (accounts.gitops.repository in app-config)',
      );
    }
    return options.config;
  }

  router.get('/accounts/:name/config', async (req, res) => {
    const name = parse(accountNameSchema, req.params.name, 'name');
    const account = await support.readableAccount(req, name);
    res.json(await requireConfig().committed(account));
  });

  router.post('/accounts/:name/preview', async (req, res) => {
    const name = parse(accountNameSchema, req.params.name, 'name');
    parse(configPreviewSchema, req.body ?? {});
    const account = await support.readableAccount(req, name);
    res.json(await requireConfig().preview(account));
  });

  router.post('/accounts/:name/config/commit', async (req, res) => {
    await support.audited(
      req,
      'account-config-commit',
      req.params.name,
      async () => {
        const credentials = await httpAuth.credentials(req);
        const decision = await authorizer.decide(
          credentials,
          accountConfigCommitPermission,
        );
        const name = parse(accountNameSchema, req.params.name, 'name');
        const { reason } = parse(configCommitSchema, req.body ?? {});
        const account = await support.readableAccount(req, name);
        authorizer.assertAllows(decision, accountConfigCommitPermission, [
          account,
        ]);
        try {
          const result = await requireConfig().commit([account], {
            actor: actorOf(credentials),
            reason,
          });
          res.json(result);
          return result;
        } catch (error) {
          if (error instanceof ConfigRepositoryConflictError) {
            throw new ConflictError(error.message);
          }
          throw error;
        }
      },
      result => ({ status: result.status, commit: result.commit.sha }),
    );
  });

  return router;
}
