import { createHash } from 'crypto';
import { ConfigSnapshot } from '../../gitops/ConfigRepository';
import { ConcurrencyLimit } from '../../gitops/caches';
import { imageTagIn } from '../../gitops/render/imageTags';
import { isDnsLabel } from '../../gitops/render/kubernetesRules';
import { isPlainObject } from '../../gitops/render/mergeValues';
import { parseYamlDocument } from '../../gitops/render/yamlDocument';

/** Where the environments' account folders live: `k8s/flux/<env>/<account>/`. */
export const FLUX_ROOT = 'k8s/flux';

/** A file inside an account folder: groups are the environment and account. */
const ACCOUNT_FILE = /^k8s\/flux\/([^/]+)\/([^/]+)\/(.+)$/;
/** A HelmRelease file directly in an account folder. */
const HELM_RELEASE = /^helmrelease-[^/]+\.yaml$/;
/** File reads in flight at once (disk or API; the repository limits too). */
const READ_CONCURRENCY = 16;

/** A file left out of the desired state, and why. */
export interface DesiredTagsProblem {
  path: string;
  message: string;
}

/** The image tags of one commit, and the files that could not be used. */
export interface DesiredTags {
  tags: Map<string, Map<string, string>>;
  problems: DesiredTagsProblem[];
}

/** What one HelmRelease file says, or why it says nothing usable. */
type ParsedRelease =
  | { service: string; tag: string | undefined }
  | { problem: string };

/**
 * Reads the image tag of every HelmRelease in every account folder of a
 * snapshot. Remembers each file's parse by a digest of its content, so a new
 * commit only parses the files it changed (a fleet has thousands).
 */
export class DesiredTagsParser {
  private parsed = new Map<string, { digest: string; result: ParsedRelease }>();

  /**
   * Account name → service name → committed image tag, with an entry
   * (maybe empty) for every account folder. A file that cannot be parsed,
   * or names an account or service already seen, is left out and listed in
   * `problems`; a file that cannot be fetched fails the whole parse, so an
   * outage never passes for a fleet without that service.
   */
  async parse(snapshot: ConfigSnapshot): Promise<DesiredTags> {
    const folders = new Map<string, string[]>();
    for (const path of snapshot.list(FLUX_ROOT)) {
      const match = ACCOUNT_FILE.exec(path);
      if (!match) continue;
      const folder = `${FLUX_ROOT}/${match[1]}/${match[2]}`;
      const releases = folders.get(folder) ?? [];
      if (HELM_RELEASE.test(match[3])) releases.push(path);
      folders.set(folder, releases);
    }

    const limit = new ConcurrencyLimit(READ_CONCURRENCY);
    const next = new Map<string, { digest: string; result: ParsedRelease }>();
    const paths = [...folders.values()].flat();
    await Promise.all(
      paths.map(path =>
        limit.run(async () => {
          const content = await snapshot.read(path);
          if (content === undefined) return;
          const digest = createHash('sha1').update(content).digest('hex');
          const known = this.parsed.get(path);
          next.set(
            path,
            known?.digest === digest
              ? known
              : { digest, result: parseRelease(content) },
          );
        }),
      ),
    );
    this.parsed = next;

    const tags = new Map<string, Map<string, string>>();
    const problems: DesiredTagsProblem[] = [];
    // Sorted paths: which of two clashing files wins does not vary.
    for (const folder of [...folders.keys()].sort()) {
      const account = folder.slice(folder.lastIndexOf('/') + 1);
      if (tags.has(account)) {
        problems.push({
          path: folder,
          message: `account ${account} has a folder in another environment too`,
        });
        continue;
      }
      const services = new Map<string, string>();
      tags.set(account, services);
      for (const path of folders.get(folder)!.sort()) {
        const result = next.get(path)?.result;
        if (!result) continue;
        if ('problem' in result) {
          problems.push({ path, message: result.problem });
        } else if (services.has(result.service)) {
          problems.push({
            path,
            message: `another file of the folder is the HelmRelease ${result.service} too`,
          });
        } else if (result.tag !== undefined) {
          services.set(result.service, result.tag);
        }
      }
    }
    return { tags, problems };
  }
}

/** The service (the HelmRelease's `metadata.name`) and its committed tag. */
function parseRelease(content: string): ParsedRelease {
  try {
    const release = parseYamlDocument(content);
    if (!isPlainObject(release) || release.kind !== 'HelmRelease') {
      return { problem: 'it is not a HelmRelease' };
    }
    const name = isPlainObject(release.metadata)
      ? release.metadata.name
      : undefined;
    if (!isDnsLabel(name)) {
      return { problem: 'its metadata.name is not a DNS-1123 label' };
    }
    // Parsed once: a fleet's repository holds tens of thousands of these.
    return { service: name, tag: imageTagIn(release) };
  } catch (error) {
    return { problem: (error as Error).message };
  }
}
