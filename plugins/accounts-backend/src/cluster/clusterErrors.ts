import {
  ConflictError,
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { ApiException } from '@kubernetes/client-node';
import { ClusterTransportError } from './TimeoutHttpLibrary';

/** What a failed request was about, for its message. */
export interface RequestSubject {
  cluster: string;
  timeoutSeconds: number;
  /** e.g. `Kustomization acme/acme`. */
  object?: string;
  /** e.g. `kustomize.toolkit.fluxcd.io/v1 Kustomization`. */
  kind: string;
  /** Values that must not appear in a message (a Secret's data). */
  secrets?: string[];
}

/** The Kubernetes `Status` an API error carries, as far as it is needed. */
interface KubeStatus {
  reason?: string;
  message?: string;
  details?: {
    causes?: Array<{ reason?: string; message?: string; field?: string }>;
  };
}

function statusOf(error: ApiException<unknown>): KubeStatus {
  let body = error.body;
  if (typeof body === 'string') {
    const text = body;
    try {
      body = JSON.parse(text);
    } catch {
      return { message: text.slice(0, 300) };
    }
  }
  return body && typeof body === 'object' ? (body as KubeStatus) : {};
}

function redact(message: string, secrets: string[] = []): string {
  let result = message;
  for (const secret of secrets) {
    if (secret.length >= 4) result = result.split(secret).join('[redacted]');
  }
  return result;
}

/**
 * The API server's 409 for a server-side apply whose fields belong to other
 * managers, as one message naming the object, each field and its manager.
 */
function fieldManagerConflict(
  subject: RequestSubject,
  status: KubeStatus,
): ConflictError | undefined {
  const causes = (status.details?.causes ?? []).filter(
    c => c.reason === 'FieldManagerConflict',
  );
  if (causes.length === 0) return undefined;
  const owners = causes.map(cause => {
    const manager = /conflict with "([^"]+)"/.exec(cause.message ?? '')?.[1];
    return `${cause.field ?? '(unknown field)'} (managed by '${
      manager ?? 'another manager'
    }')`;
  });
  return new ConflictError(
    `Cannot apply ${subject.object ?? subject.kind} on cluster '${
      subject.cluster
    }': ${owners.join(
      ', ',
    )} would be overwritten. Fleet Portal does not take fields from other managers; change them back or remove that manager's ownership.`,
  );
}

/** `Unrecognized API version and kind` or a 404 during discovery. */
function kindNotServed(error: unknown): boolean {
  const message = String((error as Error)?.message ?? '');
  return (
    message.startsWith('Unrecognized API version and kind') ||
    (message.startsWith('Failed to fetch resource metadata') &&
      error instanceof ApiException &&
      error.code === 404)
  );
}

/** A 404 for the object itself (its kind is served). */
export function isObjectNotFound(error: unknown): boolean {
  return (
    error instanceof ApiException && error.code === 404 && !kindNotServed(error)
  );
}

/**
 * Turns what the client threw into an error for people, from
 * `@backstage/errors`: no answer in time or no connection →
 * `ServiceUnavailableError`; a field-manager conflict or another 409 →
 * `ConflictError`; 404 → `NotFoundError`; 400/422 → `InputError`; anything
 * else from the cluster → `ServiceUnavailableError`. Messages are built from
 * the API server's status only (never the request, its headers or body), and
 * `secrets` are redacted from them.
 */
export function clusterError(subject: RequestSubject, error: unknown): Error {
  const { cluster } = subject;
  const what = subject.object ?? subject.kind;
  if (error instanceof ClusterTransportError) {
    const messages = {
      timeout: `Cluster '${cluster}' did not answer within ${subject.timeoutSeconds} s`,
      unreachable: `Cluster '${cluster}' is unreachable: ${error.detail}`,
      credentials: `Cluster '${cluster}' could not be authenticated to: ${error.detail}`,
    };
    return new ServiceUnavailableError(messages[error.kind]);
  }
  if (kindNotServed(error)) {
    return new NotFoundError(
      `Cluster '${cluster}' does not serve ${subject.kind}${
        subject.kind.includes('fluxcd.io') ? ' (is Flux installed?)' : ''
      }`,
    );
  }
  if (!(error instanceof ApiException)) {
    return new ServiceUnavailableError(
      `Request for ${what} to cluster '${cluster}' failed: ${redact(
        String((error as Error)?.message ?? error).split('\n')[0],
        subject.secrets,
      )}`,
    );
  }
  const status = statusOf(error);
  const message = redact(
    status.message ?? `HTTP ${error.code}`,
    subject.secrets,
  );
  const code = error.code;
  if (code === 409) {
    return (
      fieldManagerConflict(subject, status) ??
      new ConflictError(`${what} on cluster '${cluster}': ${message}`)
    );
  }
  if (code === 404) {
    return new NotFoundError(`${what} not found on cluster '${cluster}'`);
  }
  if (code === 400 || code === 422) {
    return new InputError(`Cluster '${cluster}' refused ${what}: ${message}`);
  }
  if (code === 401 || code === 403) {
    return new ServiceUnavailableError(
      `Cluster '${cluster}' refused Fleet Portal's credentials for ${what} (${code}): ${message}`,
    );
  }
  return new ServiceUnavailableError(
    `Cluster '${cluster}' answered ${code} for ${what}: ${message}`,
  );
}
