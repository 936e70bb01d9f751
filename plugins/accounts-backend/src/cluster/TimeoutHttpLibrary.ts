import {
  IsomorphicFetchHttpLibrary,
  PromiseHttpLibrary,
  RequestContext,
  ResponseContext,
} from '@kubernetes/client-node';

/**
 * A request that got no HTTP answer: `timeout` when the cluster did not
 * answer in time, `unreachable` when the connection failed, `credentials`
 * when no token could be had to send it. `detail` is the underlying error,
 * without URLs, headers or tokens.
 */
export class ClusterTransportError extends Error {
  constructor(
    readonly kind: 'timeout' | 'unreachable' | 'credentials',
    readonly detail: string,
  ) {
    super(`${kind}: ${detail}`);
    this.name = 'ClusterTransportError';
  }
}

/** `connect ECONNREFUSED 127.0.0.1:6443` out of node-fetch's message. */
function networkDetail(error: unknown): string {
  const message = String((error as Error)?.message ?? error);
  const reason = /reason: (.*)$/s.exec(message)?.[1];
  return (reason ?? message).split('\n')[0];
}

/**
 * The client's fetch with a deadline on each request: the connection, the
 * headers and the body must all arrive within `timeoutMs`, or the request is
 * aborted (its socket destroyed) and fails with a `ClusterTransportError`.
 * The timer is cleared when the request settles, so nothing outlives it.
 */
export class TimeoutHttpLibrary implements PromiseHttpLibrary {
  private readonly inner = new IsomorphicFetchHttpLibrary();

  constructor(private readonly timeoutMs: number) {}

  async send(request: RequestContext): Promise<ResponseContext> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    request.setSignal(controller.signal);
    try {
      const response = await this.inner.send(request).toPromise();
      // Read the body under the same deadline; it is small JSON.
      const body = await response.body.binary();
      return new ResponseContext(response.httpStatusCode, response.headers, {
        binary: async () => body,
        text: async () => body.toString('utf8'),
      });
    } catch (error) {
      if (controller.signal.aborted) {
        throw new ClusterTransportError('timeout', `${this.timeoutMs} ms`);
      }
      throw new ClusterTransportError('unreachable', networkDetail(error));
    } finally {
      clearTimeout(timer);
    }
  }
}
