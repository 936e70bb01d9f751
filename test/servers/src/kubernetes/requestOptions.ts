import { parse as parseYaml } from 'yaml';
import { FieldValidation, KubeObject } from './ClusterStore';
import { ResourceKind, apiVersionOf } from './kinds';
import { KubeApiError } from './ClusterStore';
import { badRequest } from './kubeErrors';
import { JsonObject, isPlainObject } from './objectFields';

/*
 * Reading what a write request asks for: its query options and its body,
 * checked against the URL as the API server checks them.
 */

function invalidOption(
  field: string,
  value: string,
  supported: string[],
): KubeApiError {
  return new KubeApiError(
    422,
    'Invalid',
    `${field}: Unsupported value: ${JSON.stringify(
      value,
    )}: supported values: ${supported.map(s => JSON.stringify(s)).join(', ')}`,
    {
      causes: [
        {
          reason: 'FieldValueNotSupported',
          field,
          message: `Unsupported value: ${JSON.stringify(value)}`,
        },
      ],
    },
  );
}

/** `dryRun=All` (the only value Kubernetes accepts). */
export function dryRunOf(query: URLSearchParams): boolean {
  const values = query.getAll('dryRun');
  for (const value of values) {
    if (value !== 'All') throw invalidOption('dryRun', value, ['All']);
  }
  return values.length > 0;
}

/** `fieldValidation`, `Warn` when absent as in Kubernetes 1.27+. */
export function fieldValidationOf(query: URLSearchParams): FieldValidation {
  const value = query.get('fieldValidation') ?? 'Warn';
  if (value !== 'Ignore' && value !== 'Warn' && value !== 'Strict') {
    throw badRequest(`invalid fieldValidation directive: ${value}`);
  }
  return value;
}

/**
 * `fieldManager`; required for apply. Other writes default to the user
 * agent's program name, as the API server does.
 */
export function fieldManagerOf(
  query: URLSearchParams,
  userAgent: string | undefined,
  apply: boolean,
): string {
  const manager = query.get('fieldManager');
  if (manager) {
    if (manager.length > 128)
      throw badRequest(
        'fieldManager: Too long: may not be more than 128 bytes',
      );
    return manager;
  }
  if (apply) {
    throw new KubeApiError(
      422,
      'Invalid',
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      {
        group: 'meta.k8s.io',
        kind: 'PatchOptions',
        causes: [
          {
            reason: 'FieldValueRequired',
            message: 'Required value: is required for apply patch',
            field: 'fieldManager',
          },
        ],
      },
    );
  }
  return (userAgent ?? 'unknown').split('/')[0] || 'unknown';
}

/** `force=true`, refused on anything but an apply. */
export function forceOf(query: URLSearchParams, apply: boolean): boolean {
  const value = query.get('force');
  if (value === null) return false;
  if (!apply) {
    throw new KubeApiError(
      422,
      'Invalid',
      'PatchOptions.meta.k8s.io "" is invalid: force: Invalid value: true: may not be specified for non-apply patch',
      {
        group: 'meta.k8s.io',
        kind: 'PatchOptions',
        causes: [
          {
            reason: 'FieldValueInvalid',
            message:
              'Invalid value: true: may not be specified for non-apply patch',
            field: 'force',
          },
        ],
      },
    );
  }
  return value === 'true' || value === '1';
}

/**
 * Parses a JSON body (or YAML for apply patches); 400 when unreadable. The
 * error names the position only: parsers quote the body, which may hold
 * secret data.
 */
export function parseBody(raw: Buffer, yaml: boolean): unknown {
  const text = raw.toString('utf8');
  try {
    return yaml ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    const { code, linePos } = error as {
      code?: string;
      linePos?: Array<{ line: number; col: number }>;
    };
    const position = /position (\d+)/.exec(String((error as Error).message));
    let where = '';
    if (linePos?.[0])
      where = ` at line ${linePos[0].line}, column ${linePos[0].col}`;
    else if (position) where = ` at position ${position[1]}`;
    throw badRequest(
      `error decoding ${yaml ? 'YAML' : 'JSON'}${
        code ? ` (${code})` : ''
      }${where}`,
    );
  }
}

/**
 * The object a POST, PUT or apply sends, checked against the URL: its
 * apiVersion and kind (filled in when absent, except for apply, which needs
 * them), namespace and name.
 */
export function objectForRoute(
  body: unknown,
  kind: ResourceKind,
  route: { namespace?: string; name?: string },
  options: { requireKind: boolean },
): KubeObject {
  if (!isPlainObject(body))
    throw badRequest('the body of the request must be an object');
  const expected = apiVersionOf(kind);
  if (
    options.requireKind &&
    (body.kind === undefined || body.apiVersion === undefined)
  ) {
    throw badRequest(
      `Object 'Kind' is missing in the request body: apiVersion and kind are required for apply`,
    );
  }
  if (body.apiVersion !== undefined && body.apiVersion !== expected) {
    throw badRequest(
      `the API version in the data (${String(
        body.apiVersion,
      )}) does not match the expected API version (${expected})`,
    );
  }
  if (body.kind !== undefined && body.kind !== kind.kind) {
    throw badRequest(
      `the kind in the data (${String(
        body.kind,
      )}) does not match the expected kind (${kind.kind})`,
    );
  }
  const metadata: JsonObject = isPlainObject(body.metadata)
    ? { ...body.metadata }
    : {};
  if (route.namespace !== undefined) {
    if (metadata.namespace && metadata.namespace !== route.namespace) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    metadata.namespace = route.namespace;
  }
  if (route.name !== undefined) {
    if (metadata.name && metadata.name !== route.name) {
      throw badRequest(
        `the name of the object (${String(
          metadata.name,
        )}) does not match the name on the URL (${route.name})`,
      );
    }
    metadata.name = route.name;
  }
  return {
    ...body,
    apiVersion: expected,
    kind: kind.kind,
    metadata,
  } as KubeObject;
}
