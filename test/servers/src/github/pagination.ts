/** A positive integer query parameter, or `fallback`. */
export function positive(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** Page size limits of a list route; GitHub's usual ones are 30 and 100. */
export interface PageLimits {
  defaultPerPage?: number;
  maxPerPage?: number;
}

/** One page of a list and the `link` header pointing at the others. */
export interface Page<T> {
  items: T[];
  /** `{ link }` when there are other pages, else `undefined`. */
  headers?: Record<string, string>;
}

/**
 * Cuts `all` to the page `per_page`/`page` of `query` ask for (1-based),
 * with GitHub's `Link` header (`next`, `last`, `first`, `prev`) built by
 * `urlWith`, which keeps the request's other query parameters.
 */
export function paginate<T>(
  all: T[],
  query: Record<string, string>,
  urlWith: (query: Record<string, string>) => string,
  limits: PageLimits = {},
): Page<T> {
  const perPage = Math.min(
    positive(query.per_page, limits.defaultPerPage ?? 30),
    limits.maxPerPage ?? 100,
  );
  const page = positive(query.page, 1);
  const items = all.slice((page - 1) * perPage, page * perPage);
  const lastPage = Math.max(1, Math.ceil(all.length / perPage));
  const link = (rel: string, n: number) =>
    `<${urlWith({ ...query, page: String(n) })}>; rel="${rel}"`;
  const links: string[] = [];
  if (page < lastPage) {
    links.push(link('next', page + 1), link('last', lastPage));
  }
  if (page > 1) {
    links.push(link('first', 1), link('prev', page - 1));
  }
  return {
    items,
    headers: links.length > 0 ? { link: links.join(', ') } : undefined,
  };
}
