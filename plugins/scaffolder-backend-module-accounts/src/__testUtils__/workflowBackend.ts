import { mockServices } from '@backstage/backend-test-utils';
import {
  AccountReadiness,
  Operation,
  OperationStep,
  ProvisionResult,
} from '@fleet-portal/plugin-accounts-common';
import { IncomingMessage, ServerResponse, createServer } from 'http';
import { AddressInfo } from 'net';
import {
  AccountsBackendClient,
  DeployDryRunResult,
} from '../client/AccountsBackendClient';

/*
 * A local HTTP server answering the accounts backend's cluster-side routes
 * (readiness, provision, deploy, operations) from a script, in the backend's
 * JSON and error shapes, for the polling of wait-ready and deploy: how
 * readiness and operations move over time is what a test sets here. The
 * actions' real client talks to it over HTTP.
 */

/** What the stand-in answers. Lists are answered in turn, the last repeated. */
export interface WorkflowScript {
  /** Accounts that exist (`GET /accounts/{name}`). */
  accounts?: string[];
  readiness?: AccountReadiness[];
  provision?: ProvisionResult;
  /** `POST /accounts/{name}/deploy` answers the first operation. */
  operations?: Operation[];
  deployPreview?: DeployDryRunResult;
  /** Called on every request, e.g. to cancel the task at some point. */
  onRequest?: (request: RecordedRequest) => void;
}

/** A request the stand-in received. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body?: any;
}

const servers: Array<{ close(): void; closeAllConnections(): void }> = [];
afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

/** Starts the stand-in; answers the client pointed at it and its requests. */
export async function startWorkflowBackend(script: WorkflowScript) {
  const requests: RecordedRequest[] = [];
  const turns = new Map<string, number>();
  function next<T>(key: string, list: T[] | undefined): T | undefined {
    if (!list?.length) return undefined;
    const turn = turns.get(key) ?? 0;
    turns.set(key, turn + 1);
    return list[Math.min(turn, list.length - 1)];
  }

  async function answer(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      body: raw ? JSON.parse(raw) : undefined,
    };
    requests.push(request);
    script.onRequest?.(request);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const fail = (status: number, name: string, message: string) =>
      send(status, {
        error: { name, message },
        request: { method: request.method, url: request.path },
        response: { statusCode: status },
      });

    const [, first, name, action] = url.pathname.split('/');
    const dryRun = url.searchParams.get('dryRun') === 'true';
    if (first === 'operations') {
      const scripted = next('operation', script.operations);
      return scripted?.id === name
        ? send(200, scripted)
        : fail(404, 'NotFoundError', `No operation ${name}`);
    }
    if (first !== 'accounts' || !script.accounts?.includes(name)) {
      return fail(404, 'NotFoundError', `No account named '${name}'`);
    }
    const found = (() => {
      if (!action) return { name };
      if (action === 'readiness') return next('readiness', script.readiness);
      if (action === 'provision') return script.provision;
      if (action === 'deploy' && dryRun) return script.deployPreview;
      if (action === 'deploy') return script.operations?.[0];
      return undefined;
    })();
    if (!found) return fail(404, 'NotFoundError', 'Not in this script');
    return send(action === 'deploy' && !dryRun ? 202 : 200, found);
  }

  const server = createServer((req, res) => {
    answer(req, res).catch(error => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  servers.push(server);
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const client = new AccountsBackendClient({
    auth: mockServices.auth(),
    discovery: {
      getBaseUrl: async () => baseUrl,
      getExternalBaseUrl: async () => baseUrl,
    },
  });
  return { client, requests };
}

/** The readiness of account `acme` in a state, with a message. */
export function readiness(
  state: AccountReadiness['state'],
  message: string,
): AccountReadiness {
  return {
    account: 'acme',
    cluster: 'production-eu',
    state,
    message,
    releases: [],
    checkedAt: '2026-11-23T08:00:00.000Z',
  };
}

/** A deploy operation of `acme` with its steps' states. */
export function operation(
  status: Operation['status'],
  steps: Array<Pick<OperationStep, 'id' | 'status'> & { message?: string }>,
  changes: Partial<Operation> = {},
): Operation {
  return {
    id: '6f1c2b8e-3d4a-4b5c-9e8f-0a1b2c3d4e5f',
    kind: 'deploy',
    account: 'acme',
    status,
    requestedBy: 'user:default/mock',
    createdAt: '2026-11-23T08:00:00.000Z',
    updatedAt: '2026-11-23T08:00:00.000Z',
    steps: steps.map(step => ({
      ...step,
      title: `Step ${step.id}`,
    })),
    ...changes,
  };
}
