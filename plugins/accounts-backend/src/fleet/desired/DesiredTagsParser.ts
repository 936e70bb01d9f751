import { ConfigSnapshot } from '../../gitops/ConfigRepository';
import { ConcurrencyLimit } from '../../gitops/caches';
import { imageTagIn } from '../../gitops/render/imageTags';
import { isDnsLabel } from '../../gitops/render/kubernetesRules';
import { isPlainObject } from '../../gitops/render/mergeValues';
import { parseYamlDocument } from '../../gitops/render/yamlDocument';

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
 * snapshot: `<folder>/<account>/helmrelease-*.yaml` for each environment's
 * folder (its `pathPrefix`). Remembers each file's parse by its blob id, so
 * a new commit reads and parses only the files it changed (a fleet has tens
 * of thousands), and files with one content are read once.
 */
export class DesiredTagsParser {
  private parsed = new Map<string, ParsedRelease>();

  constructor(private readonly folders: readonly string[]) {}

  /**
   * Account name → service name → committed image tag, with an entry
   * (maybe empty) for every account folder. A file that cannot be parsed,
   * or names an account or service already seen, is left out and listed in
   * `problems`; a file that cannot be fetched fails the whole parse, so an
   * outage never passes for a fleet without that service.
   */
  async parse(snapshot: ConfigSnapshot): Promise<DesiredTags> {
    const folders = new Map<string, string[]>();
    // blob id → the first path with that content (the one read)
    const blobs = new Map<string, string>();
    for (const root of this.folders) {
      for (const path of snapshot.list(root)) {
        const rest = path.slice(root.length + 1);
        const slash = rest.indexOf('/');
        if (slash < 0) continue; // a file of the environment's own folder
        const folder = `${root}/${rest.slice(0, slash)}`;
        const releases = folders.get(folder) ?? [];
        folders.set(folder, releases);
        if (!HELM_RELEASE.test(rest.slice(slash + 1))) continue;
        releases.push(path);
        const id = snapshot.blobId(path)!;
        if (!blobs.has(id)) blobs.set(id, path);
      }
    }

    const limit = new ConcurrencyLimit(READ_CONCURRENCY);
    const next = new Map<string, ParsedRelease>();
    await Promise.all(
      [...blobs].map(async ([id, path]) => {
        const known = this.parsed.get(id);
        if (known) {
          next.set(id, known);
          return;
        }
        const content = await limit.run(() => snapshot.read(path));
        if (content !== undefined) next.set(id, parseRelease(content));
      }),
    );
    this.parsed = next;
    const resultOf = (path: string) => next.get(snapshot.blobId(path)!);

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
        const result = resultOf(path);
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
