import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import { accountReadPermission } from '@fleet-portal/plugin-accounts-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { AccountsStore } from '../registry/AccountsStore';

/** @internal */
export interface RouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  store: AccountsStore;
}

const listQuerySchema = z.object({
  environment: z.string().min(1).max(63).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

/** Parses input with a schema; a failure is a 400 naming the field. */
function parse<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue.path.join('.') || '(root)';
    throw new InputError(`Invalid ${field}: ${issue.message}`);
  }
  return result.data;
}

/**
 * The accounts REST API. Validates requests and checks permissions; the work
 * is done by the services handed in.
 *
 * @internal
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, permissions, store } = options;
  const router = Router();
  router.use(express.json());

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

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/accounts', async (req, res) => {
    await authorize(req, accountReadPermission);
    const query = parse(listQuerySchema, req.query);
    res.json(await store.listAccounts(query));
  });

  router.get('/accounts/:name', async (req, res) => {
    await authorize(req, accountReadPermission);
    const account = await store.getAccount(req.params.name);
    if (!account) {
      throw new NotFoundError(`No account named '${req.params.name}'`);
    }
    res.json(account);
  });

  return router;
}
