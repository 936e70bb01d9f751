import { Config } from '@backstage/config';
import { WaitOptions } from './waitForFlux';

/**
 * `accounts.workflows`: how long a deploy waits for Flux and how often it
 * looks (default 10 minutes, every 2 s).
 */
export function readWorkflowConfig(config: Config): { wait: WaitOptions } {
  const root = config.getOptionalConfig('accounts.workflows');
  const seconds = (key: string, fallback: number, max: number) => {
    const value = root?.getOptionalNumber(key) ?? fallback;
    if (!(value > 0 && value <= max)) {
      throw new Error(
        `Invalid config accounts.workflows.${key}: must be above 0 and at most ${max}`,
      );
    }
    return value * 1000;
  };
  return {
    wait: {
      timeoutMs: seconds('readyTimeoutSeconds', 600, 24 * 3600),
      intervalMs: seconds('pollIntervalSeconds', 2, 300),
    },
  };
}
