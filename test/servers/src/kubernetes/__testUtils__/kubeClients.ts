import { ApiException, KubeConfig } from '@kubernetes/client-node';

/**
 * A KubeConfig for one simulated cluster, as the portal builds it: client-node
 * 1.4 refuses `http:` servers unless `skipTLSVerify` is set.
 */
export function kubeConfigFor(server: string, token?: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'simulated', server, skipTLSVerify: true }],
    users: [{ name: 'portal', ...(token ? { token } : {}) }],
    contexts: [{ name: 'simulated', cluster: 'simulated', user: 'portal' }],
    currentContext: 'simulated',
  });
  return kc;
}

/** The Status body of a failed client call. */
export async function statusOf(call: Promise<unknown>): Promise<{
  code: number;
  status: Record<string, any>;
}> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ApiException) {
      const body = error.body as unknown;
      return {
        code: error.code,
        status: typeof body === 'string' && body ? JSON.parse(body) : {},
      };
    }
    throw error;
  }
  throw new Error('expected the call to fail');
}
