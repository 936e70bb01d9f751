import { IMAGE_TAG } from './kubernetesRules';
import { isPlainObject } from './mergeValues';
import { parseYamlDocument } from './yamlDocument';

/** Where the HelmRelease keeps its image tag. */
export const IMAGE_TAG_PATH = ['spec', 'values', 'image', 'tag'];

/**
 * The comment Flux image automation looks for on the tag line; it rewrites
 * the tag with the newest one the ImagePolicy `<service>-<environment>` in
 * `flux-system` selects. Both names are DNS labels.
 */
export function imagePolicyMarker(
  service: string,
  environment: string,
): string {
  return `{"$imagepolicy": "flux-system:${service}-${environment}:tag"}`;
}

/**
 * The image tag committed in a HelmRelease file, or `undefined` when the file
 * has none. Throws when the file cannot be read or its tag is not a tag:
 * falling back to the configured tag could then silently roll back what
 * image automation or a deploy wrote.
 */
export function committedImageTag(content: string): string | undefined {
  let node: unknown;
  try {
    node = parseYamlDocument(content);
  } catch (error) {
    throw new Error(
      `cannot read the committed file: ${(error as Error).message}`,
    );
  }
  return imageTagIn(node);
}

/**
 * The image tag of an already parsed HelmRelease document, as
 * {@link committedImageTag} reads it (for callers that parsed the file).
 */
export function imageTagIn(document: unknown): string | undefined {
  let node = document;
  for (const key of IMAGE_TAG_PATH) {
    if (!isPlainObject(node)) return undefined;
    node = node[key];
  }
  if (node === undefined || node === null) return undefined;
  if (typeof node !== 'string' || !IMAGE_TAG.test(node)) {
    throw new Error(
      `the committed ${IMAGE_TAG_PATH.join('.')} ${JSON.stringify(
        node,
      )} is not an image tag`,
    );
  }
  return node;
}

/**
 * The image tag to write: an explicit pin, else the tag committed in the
 * HelmRelease file now (so re-rendering never reverts what image automation
 * or a deploy wrote), else the service's configured tag for the environment.
 * Throws, naming the service, when there is none.
 */
export function chooseImageTag(args: {
  service: string;
  environment: string;
  pin?: string;
  committedFile?: string;
  configured?: string;
}): string {
  if (args.pin !== undefined) return args.pin;
  const committed =
    args.committedFile === undefined
      ? undefined
      : committedImageTag(args.committedFile);
  const tag = committed ?? args.configured;
  if (tag === undefined) {
    throw new Error(
      `${IMAGE_TAG_PATH.join('.')}: no image tag for service '${
        args.service
      }' in environment '${args.environment}' ` +
        `(no pin, none committed, no imageTag in accounts.gitops.services for ${args.environment})`,
    );
  }
  return tag;
}
