/**
 * HTTP for the fleet benchmark: GETs over one keep-alive connection, and the
 * timed series of them (p50/p95/max, with the major garbage collections seen
 * while timing).
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import http from 'http';
import { PerformanceObserver, constants as gcConstants } from 'perf_hooks';
import { sleep } from './wait';

/** The figures of one timed series of GETs, in milliseconds. */
export type Figures = {
  p50: number;
  p95: number;
  max: number;
  /** Major garbage collections during the timed requests. */
  gc: { major: number; longest: number };
};

export type Answer = { status: number; body: Buffer };

/** One socket, kept alive: sequential requests over one connection. */
export const keepAliveAgent = () =>
  new http.Agent({ keepAlive: true, maxSockets: 1 });

/** One GET over the keep-alive agent, the body read to its end. */
export function get(
  agent: http.Agent,
  port: number,
  path: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      {
        host: '127.0.0.1',
        port,
        path,
        agent,
        headers: { authorization: mockCredentials.user.header() },
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', chunk => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
  });
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

/**
 * `warmUp` GETs, then `rounds` timed ones; each must be a 200 of the same
 * size.
 */
export async function measure(
  agent: http.Agent,
  port: number,
  path: string,
  expectedBytes: number,
  { warmUp, rounds }: { warmUp: number; rounds: number },
): Promise<Figures> {
  for (let i = 0; i < warmUp; i++) await get(agent, port, path);
  const times: number[] = [];
  // Garbage collection while timing: what the slowest requests waited for.
  const gc = { major: 0, longest: 0 };
  const observer = new PerformanceObserver(list => {
    for (const entry of list.getEntries()) {
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
      if (kind !== gcConstants.NODE_PERFORMANCE_GC_MAJOR) continue;
      gc.major += 1;
      gc.longest = Math.max(gc.longest, entry.duration);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    const answer = await get(agent, port, path);
    times.push(performance.now() - start);
    // `generatedAt` has a fixed length: the same matrix, the same size.
    if (answer.status !== 200 || answer.body.length !== expectedBytes) {
      throw new Error(
        `GET ${path} answered ${answer.status} with ${answer.body.length} bytes, expected 200 with ${expectedBytes}`,
      );
    }
  }
  // Entries are delivered asynchronously.
  await sleep(0);
  observer.disconnect();
  times.sort((a, b) => a - b);
  return {
    p50: percentile(times, 0.5),
    p95: percentile(times, 0.95),
    max: times[times.length - 1],
    gc,
  };
}
