import { IMAGE_TAG } from '../gitops/render/kubernetesRules';
import { InputError } from '@backstage/errors';
import { z } from 'zod';
import {
  HEALTH_STATES,
  HealthState,
} from '@fleet-portal/plugin-accounts-common';

/** DNS-1123 label, 2–40 characters: it becomes a namespace and a path segment. */
export const accountNameSchema = z
  .string()
  .min(2, 'must be at least 2 characters')
  .max(40, 'must be at most 40 characters')
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    'must be a DNS-1123 label: lowercase letters, digits and inner dashes',
  )
  // The portal's create form lives at /accounts/new.
  .refine(
    name => name !== 'new',
    "'new' is reserved (it is the path of the create form)",
  );

const labelKey =
  /^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const labelValue = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;
const MAX_VALUES_BYTES = 32 * 1024;

const servicesSchema = z
  .array(
    z.strictObject({
      name: z
        .string()
        .max(40)
        .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS-1123 label'),
      values: z
        .record(z.string(), z.unknown())
        .refine(
          v => Buffer.byteLength(JSON.stringify(v)) <= MAX_VALUES_BYTES,
          `must be at most ${MAX_VALUES_BYTES} bytes as JSON`,
        )
        .optional(),
    }),
  )
  .max(50)
  .refine(
    services => new Set(services.map(s => s.name)).size === services.length,
    'must not name a service twice',
  );

/** The fields an account's creator may set, with their rules. */
const accountFields = {
  displayName: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(100, 'must be at most 100 characters')
    .regex(/^[^\p{Cc}]+$/u, 'must not contain control characters'),
  environment: z.string().min(1).max(63),
  region: z.string().min(1).max(63),
  gcpProject: z
    .string()
    .regex(
      /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/,
      'must be a GCP project id: 6–30 lowercase letters, digits and dashes, starting with a letter',
    ),
  cluster: z.string().min(1).max(63),
  active: z.boolean(),
  isUat: z.boolean(),
  owner: z
    .string()
    .max(255)
    .regex(
      /^group:([a-z0-9]([-a-z0-9]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/,
      'must be a catalog group reference, e.g. group:default/platform',
    ),
  labels: z
    .record(
      z.string().regex(labelKey, 'must be a Kubernetes label key'),
      z.string().regex(labelValue, 'must be a Kubernetes label value'),
    )
    .refine(labels => Object.keys(labels).length <= 32, 'at most 32 labels'),
  services: servicesSchema,
};

export const createAccountSchema = z.strictObject({
  name: accountNameSchema,
  ...accountFields,
  active: accountFields.active.default(true),
  isUat: accountFields.isUat.default(false),
  labels: accountFields.labels.default({}),
  services: accountFields.services.default([]),
});

export const updateAccountSchema = z.strictObject({
  version: z.number().int().min(1),
  ...Object.fromEntries(
    Object.entries(accountFields).map(([k, v]) => [k, v.optional()]),
  ),
}) as unknown as z.ZodType<
  { version: number } & Partial<{
    [K in keyof typeof accountFields]: z.output<(typeof accountFields)[K]>;
  }>
>;

const booleanParam = z
  .enum(['true', 'false'], 'must be true or false')
  .transform(v => v === 'true');

/** A query parameter that may repeat (`?service=a&service=b`). */
function repeated<T extends z.ZodType>(item: T) {
  return z
    .union([item, z.array(item).max(50, 'must be given at most 50 times')])
    .transform(v => (Array.isArray(v) ? v : [v]) as Array<z.output<T>>);
}

/** Query of `GET /fleet`. */
export const fleetQuerySchema = z.strictObject({
  environment: z.string().min(1).max(63).optional(),
  region: z.string().min(1).max(63).optional(),
  cluster: z.string().min(1).max(63).optional(),
  uat: booleanParam.optional(),
  service: repeated(z.string().min(1).max(63)).optional(),
  state: repeated(
    z.enum(HEALTH_STATES as [HealthState, ...HealthState[]], {
      error: `must be one of ${HEALTH_STATES.join(', ')}`,
    }),
  ).optional(),
});

export const listQuerySchema = z.strictObject({
  environment: z.string().min(1).max(63).optional(),
  region: z.string().min(1).max(63).optional(),
  cluster: z.string().min(1).max(63).optional(),
  active: booleanParam.optional(),
  uat: booleanParam.optional(),
  q: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

/**
 * Parses input with a schema. A failure is an `InputError` (400) whose
 * message starts with the field at fault: `Invalid labels.Tier: ...`.
 */
export function parse<T extends z.ZodType>(
  schema: T,
  input: unknown,
  what = '',
): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) {
    return result.data;
  }
  const issue = result.error.issues[0];
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    path.push(issue.keys[0]);
    throw new InputError(
      `Invalid ${[what, ...path].filter(Boolean).join('.')}: unknown field`,
    );
  }
  const field = [what, ...path].filter(Boolean).join('.') || 'body';
  // A bad record key carries the key schema's own message one level down.
  const message =
    issue.code === 'invalid_key'
      ? issue.issues[0]?.message ?? issue.message
      : issue.message;
  throw new InputError(`Invalid ${field}: ${message}`);
}

/** `POST /accounts/{name}/config/commit`: why the commit is made. */
export const configCommitSchema = z.strictObject({
  reason: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(200, 'must be at most 200 characters')
    .regex(/^[^\p{Cc}]+$/u, 'must be one line without control characters')
    .optional(),
});

/** `POST /accounts/{name}/preview` takes no options yet. */
export const configPreviewSchema = z.strictObject({});

/** `?dryRun=true`: validate and check permissions, write nothing. */
export const dryRunQuerySchema = z.strictObject({
  dryRun: z.enum(['true', 'false']).optional(),
});

/** Body of `POST /accounts/{name}/deploy`. */
export const deploySchema = z.strictObject({
  reason: configCommitSchema.shape.reason,
  versions: z
    .record(
      accountNameSchema,
      z
        .string()
        .regex(IMAGE_TAG, 'must be an image tag (letters, digits, _ . -)'),
    )
    .optional(),
});

/** Query of `GET /accounts/{name}/readiness`. */
export const readinessQuerySchema = z.strictObject({
  revision: z
    .string()
    .regex(/^[0-9a-f]{40}$/, 'must be a full commit sha (40 hex digits)')
    .optional(),
});

/** Operation ids are UUIDs. */
export const operationIdSchema = z
  .string()
  .regex(
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    'must be an operation id (a UUID)',
  );
