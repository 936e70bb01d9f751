import { TreeEditor } from './TreeEditor';
import { GIT_MODES, GitMode, GitSignature, typeOfMode } from './gitObjects';
import { Handler } from './handlers';
import {
  DOCS_URLS,
  isSha,
  notFound,
  requireString,
  unprocessable,
} from './http';
import { RepositoryState, toSignature } from './RepositoryState';

/** `GET git/commits/{sha}`. */
export const getGitCommit: Handler = ({ repo, route, rep }) => {
  const sha = route.param!.toLowerCase();
  const commit = isSha(sha) ? repo.objects.commit(sha) : undefined;
  if (!commit) throw notFound(DOCS_URLS.commits);
  return { status: 200, body: rep.gitCommit(sha, commit) };
};

function signature(
  value: unknown,
  field: string,
  fallback: GitSignature,
): GitSignature {
  if (value === undefined) return fallback;
  const person = value as Record<string, unknown>;
  if (typeof person?.name !== 'string' || typeof person?.email !== 'string') {
    throw unprocessable(
      `Invalid request.\n\n"name" and "email" are required in "${field}".`,
      DOCS_URLS.createCommit,
    );
  }
  if (person.date !== undefined && typeof person.date !== 'string') {
    throw unprocessable(`Invalid ${field}.date`, DOCS_URLS.createCommit);
  }
  try {
    return toSignature({
      name: person.name,
      email: person.email,
      date: person.date as string | undefined,
    });
  } catch {
    throw unprocessable(
      `Invalid request.\n\n${person.date} is not a valid date-time in "${field}".`,
      DOCS_URLS.createCommit,
    );
  }
}

/**
 * `POST git/commits` with `{ message, tree, parents, author?, committer? }`.
 * Without an author the token's user is the author; without a committer the
 * author is.
 */
export const createGitCommit: Handler = ({ repo, body, rep }) => {
  const message = body.message;
  if (typeof message !== 'string') {
    throw unprocessable(
      'Invalid request.\n\n"message" wasn\'t supplied.',
      DOCS_URLS.createCommit,
    );
  }
  const tree = requireString(
    body,
    'tree',
    DOCS_URLS.createCommit,
  ).toLowerCase();
  if (!isSha(tree) || !repo.objects.tree(tree)) {
    throw unprocessable('Tree SHA does not exist', DOCS_URLS.createCommit);
  }
  const parents = (body.parents ?? []) as unknown[];
  if (!Array.isArray(parents)) {
    throw unprocessable('Invalid parents', DOCS_URLS.createCommit);
  }
  for (const parent of parents) {
    if (!isSha(parent) || !repo.objects.commit(parent)) {
      throw unprocessable(
        'Parent SHA does not exist or is not a commit object',
        DOCS_URLS.createCommit,
      );
    }
  }
  const user = toSignature({
    name: 'Test User',
    email: 'test-user@example.com',
  });
  const author = signature(body.author, 'author', user);
  const committer = signature(body.committer, 'committer', author);
  const commit = {
    tree,
    parents: (parents as string[]).map(p => p.toLowerCase()),
    author,
    committer,
    message,
  };
  const sha = repo.objects.put({ type: 'commit', ...commit });
  return { status: 201, body: rep.gitCommit(sha, commit) };
};

/** A tree sha, or the tree of a commit or branch, as GitHub accepts. */
function resolveTreeish(repo: RepositoryState, ref: string): string {
  if (isSha(ref) && repo.objects.tree(ref)) return ref.toLowerCase();
  const commit = repo.resolveCommitish(ref);
  if (commit) return repo.objects.commit(commit)!.tree;
  throw notFound(DOCS_URLS.trees);
}

/**
 * `GET git/trees/{tree_sha}`, recursive with `recursive` set to any value.
 * A listing longer than the server's limit is cut and says `truncated`.
 */
export const getTree: Handler = ({
  repo,
  route,
  query,
  rep,
  maxTreeEntries,
}) => {
  const sha = resolveTreeish(repo, route.param!);
  const entries =
    query.recursive !== undefined
      ? repo.objects.listRecursive(sha)
      : repo.objects.tree(sha)!.map(e => ({
          ...e,
          path: e.name,
          size:
            e.type === 'blob' ? repo.objects.blob(e.sha)?.length : undefined,
        }));
  const truncated = entries.length > maxTreeEntries;
  return {
    status: 200,
    body: rep.tree(sha, entries.slice(0, maxTreeEntries), truncated),
  };
};

function checkPath(path: unknown): string {
  if (typeof path !== 'string' || path === '') {
    throw unprocessable('tree.path is missing', DOCS_URLS.createTree);
  }
  if (path.startsWith('/')) {
    throw unprocessable(
      'tree.path cannot start with a slash',
      DOCS_URLS.createTree,
    );
  }
  const bad = path
    .split('/')
    .some(
      s => s === '' || s === '.' || s === '..' || s.toLowerCase() === '.git',
    );
  if (bad || path.includes('\0')) {
    throw unprocessable(
      'tree.path contains a malformed path component',
      DOCS_URLS.createTree,
    );
  }
  return path;
}

/**
 * `POST git/trees` with `{ base_tree?, tree: [{ path, mode, type, sha |
 * content }] }`: entries are applied in order on top of `base_tree` (nested
 * paths edit subtrees), `sha: null` deletes (an error when nothing is
 * there), and folders left empty disappear.
 */
export const createTree: Handler = ({ repo, body, rep }) => {
  const base = body.base_tree;
  if (base !== undefined && base !== null) {
    if (!isSha(base) || !repo.objects.tree(base)) {
      throw unprocessable(
        'base_tree is not a valid tree oid',
        DOCS_URLS.createTree,
      );
    }
  }
  if (!Array.isArray(body.tree)) {
    throw unprocessable(
      'Invalid request.\n\n"tree" wasn\'t supplied.',
      DOCS_URLS.createTree,
    );
  }
  const editor = new TreeEditor(repo.objects, (base as string) ?? undefined);
  for (const raw of body.tree as Array<Record<string, unknown>>) {
    const path = checkPath(raw?.path);
    const mode = raw.mode as GitMode;
    if (!GIT_MODES.includes(mode)) {
      throw unprocessable(
        `tree.mode ${String(raw.mode)} is not valid`,
        DOCS_URLS.createTree,
      );
    }
    const type = typeOfMode(mode);
    if (raw.type !== undefined && raw.type !== type) {
      throw unprocessable(
        `tree.type ${String(raw.type)} does not match mode ${mode}`,
        DOCS_URLS.createTree,
      );
    }
    const hasContent = raw.content !== undefined;
    if (hasContent && raw.sha !== undefined) {
      throw unprocessable(
        'tree.sha and tree.content cannot both be given',
        DOCS_URLS.createTree,
      );
    }
    if (hasContent) {
      if (typeof raw.content !== 'string' || type !== 'blob') {
        throw unprocessable(
          'tree.content must be a string for a blob',
          DOCS_URLS.createTree,
        );
      }
      const sha = repo.objects.putBlob(Buffer.from(raw.content, 'utf8'));
      editor.set(path, { mode, type, sha });
    } else if (raw.sha === null) {
      if (!editor.remove(path)) {
        throw unprocessable(
          `tree.path ${path} does not exist in base_tree, so it cannot be deleted`,
          DOCS_URLS.createTree,
        );
      }
    } else {
      const sha = String(raw.sha).toLowerCase();
      const exists =
        type === 'commit' ||
        (isSha(sha) && repo.objects.get(sha)?.type === type);
      if (!exists) {
        throw unprocessable(
          `tree.sha ${sha} is not a valid ${type}`,
          DOCS_URLS.createTree,
        );
      }
      editor.set(path, { mode, type, sha });
    }
  }
  const sha = editor.write();
  const entries = repo.objects.tree(sha)!.map(e => ({
    ...e,
    path: e.name,
    size: e.type === 'blob' ? repo.objects.blob(e.sha)?.length : undefined,
  }));
  return { status: 201, body: rep.tree(sha, entries, false) };
};

/** `GET git/blobs/{sha}`: the content in base64. */
export const getBlob: Handler = ({ repo, route, rep }) => {
  const sha = route.param!.toLowerCase();
  const data = isSha(sha) ? repo.objects.blob(sha) : undefined;
  if (!data) throw notFound(DOCS_URLS.blobs);
  return { status: 200, body: rep.blob(sha, data) };
};

/** `POST git/blobs` with `{ content, encoding: 'utf-8' | 'base64' }`. */
export const createBlob: Handler = ({ repo, body, rep }) => {
  if (typeof body.content !== 'string') {
    throw unprocessable(
      'Invalid request.\n\n"content" wasn\'t supplied.',
      DOCS_URLS.createBlob,
    );
  }
  const encoding = body.encoding ?? 'utf-8';
  if (encoding !== 'utf-8' && encoding !== 'base64') {
    throw unprocessable(
      `encoding must be utf-8 or base64, not ${String(encoding)}`,
      DOCS_URLS.createBlob,
    );
  }
  const sha = repo.objects.putBlob(
    Buffer.from(body.content, encoding === 'base64' ? 'base64' : 'utf8'),
  );
  return { status: 201, body: rep.blobRef(sha) };
};
