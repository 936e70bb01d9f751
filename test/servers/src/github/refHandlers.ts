import { isAncestor } from './commitGraph';
import { Handler } from './handlers';
import {
  DOCS_URLS,
  GithubHttpError,
  isSha,
  notFound,
  requireString,
  unprocessable,
} from './http';

function fullRef(param: string): string {
  return param.startsWith('refs/') ? param : `refs/${param}`;
}

/** `GET git/ref/{ref}` (exact), and the older `GET git/refs/{ref}`. */
export const getRef: Handler = ({ repo, route, pathname, rep }) => {
  const ref = fullRef(route.param!);
  const sha = repo.refs.get(ref);
  if (sha) return { status: 200, body: rep.ref(ref, sha) };
  if (pathname.includes('/git/refs/')) {
    // The older route lists the refs under a prefix when none matches exactly.
    const under = [...repo.refs.entries()].filter(([name]) =>
      name.startsWith(`${ref}/`),
    );
    if (under.length > 0) {
      return { status: 200, body: under.map(([n, s]) => rep.ref(n, s)) };
    }
  }
  throw notFound(DOCS_URLS.refs);
};

/** `GET git/matching-refs/{ref}`: every ref starting with the prefix. */
export const listMatchingRefs: Handler = ({ repo, route, rep }) => {
  const prefix = fullRef(route.param!);
  const refs = [...repo.refs.entries()]
    .filter(([name]) => name.startsWith(prefix))
    .sort(([a], [b]) => a.localeCompare(b));
  return { status: 200, body: refs.map(([n, s]) => rep.ref(n, s)) };
};

/** `POST git/refs` with `{ ref: 'refs/heads/x', sha }`. */
export const createRef: Handler = ({ repo, body, rep }) => {
  const ref = requireString(body, 'ref', DOCS_URLS.createRef);
  const sha = requireString(body, 'sha', DOCS_URLS.createRef);
  if (!/^refs\/[^/]+\/.+/.test(ref)) {
    throw unprocessable(
      "Reference name must start with 'refs/' and have at least two slashes.",
      DOCS_URLS.createRef,
    );
  }
  if (repo.refs.has(ref)) {
    throw unprocessable('Reference already exists', DOCS_URLS.createRef);
  }
  if (!isSha(sha) || !repo.objects.commit(sha)) {
    throw unprocessable('Object does not exist', DOCS_URLS.createRef);
  }
  repo.refs.set(ref, sha.toLowerCase());
  repo.pushedAt = new Date();
  return { status: 201, body: rep.ref(ref, sha.toLowerCase()) };
};

/**
 * `PATCH git/refs/{ref}` with `{ sha, force }`. Without `force` the new
 * commit must descend from the current one; otherwise GitHub answers 422
 * "Update is not a fast forward". Pointing the ref where it already points
 * is a successful no-op.
 */
export const updateRef: Handler = async ctx => {
  const { repo, route, body, rep } = ctx;
  const ref = fullRef(route.param!);
  const sha = requireString(body, 'sha', DOCS_URLS.updateRef).toLowerCase();
  const force = body.force === true;
  if (!repo.refs.has(ref)) {
    throw unprocessable('Reference does not exist', DOCS_URLS.updateRef);
  }
  if (!isSha(sha) || !repo.objects.commit(sha)) {
    throw unprocessable('Object does not exist', DOCS_URLS.updateRef);
  }
  await ctx.beforeRefUpdate({
    owner: repo.owner,
    repo: repo.name,
    ref,
    from: repo.refs.get(ref),
    to: sha,
    force,
  });
  const current = repo.refs.get(ref);
  if (current === undefined) {
    throw unprocessable('Reference does not exist', DOCS_URLS.updateRef);
  }
  if (current !== sha) {
    if (!force && !isAncestor(repo, current, sha)) {
      throw new GithubHttpError(
        422,
        'Update is not a fast forward',
        DOCS_URLS.updateRef,
      );
    }
    repo.refs.set(ref, sha);
    repo.pushedAt = new Date();
  }
  return { status: 200, body: rep.ref(ref, sha) };
};

/** `DELETE git/refs/{ref}`. */
export const deleteRef: Handler = ({ repo, route }) => {
  const ref = fullRef(route.param!);
  if (!repo.refs.delete(ref)) {
    throw unprocessable('Reference does not exist', DOCS_URLS.refs);
  }
  return { status: 204 };
};
