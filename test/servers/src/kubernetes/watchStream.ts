import { IncomingMessage, ServerResponse } from 'http';
import { KubeApiError, KubeObject } from './ClusterStore';
import { InMemoryClusterStore } from './InMemoryClusterStore';
import { ResourceKind, apiVersionOf } from './kinds';
import { matchesFields, parseFieldSelector } from './fieldSelector';
import { statusBody } from './kubeHttp';
import { matchesLabels, parseLabelSelector } from './labelSelector';
import { StoredEvent } from './ChangeFeed';

export interface WatchRequest {
  kind: ResourceKind;
  namespace?: string;
  query: URLSearchParams;
  /** How often to send BOOKMARKs when the client allows them. */
  bookmarkIntervalMs: number;
}

type Line = { type: string; object: unknown };

/**
 * Serves a watch as the API server does: HTTP 200, then one JSON event per
 * line over a chunked response. From `resourceVersion` N it replays the
 * changes after N; without one (or `0`) it starts with an ADDED event per
 * existing object. A resourceVersion the history no longer holds is one
 * `ERROR` event with a 410 `Expired` Status. Label-selected watches see an
 * object leave (DELETED) or enter (ADDED) the selection, as the watch cache
 * reports it. Returns a function that ends the watch.
 */
export function serveWatch(
  store: InMemoryClusterStore,
  request: WatchRequest,
  req: IncomingMessage,
  res: ServerResponse,
): () => void {
  const { kind, namespace, query } = request;
  // Bad selectors fail as a plain error response, before the stream starts.
  const labels = parseLabelSelector(query.get('labelSelector') ?? undefined);
  const fields = parseFieldSelector(query.get('fieldSelector') ?? undefined);
  const from = query.get('resourceVersion') ?? '';
  const apiVersion = apiVersionOf(kind);

  const ofKind = (o: KubeObject) =>
    o.apiVersion === apiVersion &&
    o.kind === kind.kind &&
    (namespace === undefined || o.metadata.namespace === namespace);
  const selected = (o: KubeObject | undefined) =>
    o !== undefined &&
    ofKind(o) &&
    matchesLabels(labels, o.metadata.labels) &&
    matchesFields(fields, o);
  const toLine = (event: StoredEvent): Line | undefined => {
    const now = selected(event.object);
    if (event.type !== 'MODIFIED')
      return now ? { type: event.type, object: event.object } : undefined;
    const before = selected(event.previous);
    if (now)
      return { type: before ? 'MODIFIED' : 'ADDED', object: event.object };
    return before ? { type: 'DELETED', object: event.object } : undefined;
  };

  res.writeHead(200, {
    'content-type': 'application/json',
    'transfer-encoding': 'chunked',
    'cache-control': 'no-cache, private',
  });
  // Clients see the watch open before the first event, as with the API server.
  res.flushHeaders();
  let ended = false;
  const write = (line: Line) => {
    if (!ended) res.write(`${JSON.stringify(line)}\n`);
  };
  let timeoutTimer: NodeJS.Timeout | undefined;
  let bookmarkTimer: NodeJS.Timeout | undefined;
  let unsubscribe = () => {};
  const end = () => {
    if (ended) return;
    ended = true;
    unsubscribe();
    clearTimeout(timeoutTimer);
    clearInterval(bookmarkTimer);
    res.end();
  };
  req.on('close', end);
  res.on('close', end);

  // Replay and subscription happen in one synchronous step: no change can
  // fall between them.
  let replay: StoredEvent[];
  try {
    replay = from === '' || from === '0' ? [] : store.storedEventsSince(from);
  } catch (error) {
    if (!(error instanceof KubeApiError)) throw error;
    write({ type: 'ERROR', object: statusBody(error) });
    end();
    return end;
  }
  if (from === '' || from === '0') {
    const { items } = store.list(apiVersion, kind.kind, { namespace });
    for (const object of items.filter(selected))
      write({ type: 'ADDED', object });
    if (
      query.get('sendInitialEvents') === 'true' &&
      query.get('allowWatchBookmarks') === 'true'
    ) {
      write(bookmark(kind, store.resourceVersion, true));
    }
  }
  for (const event of replay) {
    const line = toLine(event);
    if (line) write(line);
  }
  unsubscribe = store.watch(event => {
    const line = toLine(event);
    if (line) write(line);
  });

  const timeout = Number(query.get('timeoutSeconds') ?? 0);
  if (timeout > 0) timeoutTimer = setTimeout(end, timeout * 1000);
  if (query.get('allowWatchBookmarks') === 'true') {
    bookmarkTimer = setInterval(
      () => write(bookmark(kind, store.resourceVersion, false)),
      request.bookmarkIntervalMs,
    );
  }
  return end;
}

/** A BOOKMARK: only the kind and the resourceVersion the watch has reached. */
function bookmark(
  kind: ResourceKind,
  resourceVersion: string,
  initialEventsEnd: boolean,
): Line {
  return {
    type: 'BOOKMARK',
    object: {
      kind: kind.kind,
      apiVersion: apiVersionOf(kind),
      metadata: {
        resourceVersion,
        ...(initialEventsEnd
          ? { annotations: { 'k8s.io/initial-events-end': 'true' } }
          : {}),
      },
    },
  };
}
