import { Config } from '@backstage/config';
import { NotAllowedError, ServiceUnavailableError } from '@backstage/errors';
import http from 'http';
import https from 'https';
import { isIP, LookupFunction } from 'net';
import {
  addressProblem,
  HostResolver,
  hostOf,
  isLocalHostName,
  resolveCheckedAddress,
  systemResolver,
} from './hookAddresses';

/** What the hook receives after an export. */
export interface PostExportEvent {
  /** When accounts.json was generated (ISO 8601). */
  generatedAt: string;
  /** How many accounts it holds. */
  accounts: number;
  /** The account whose change caused the export, when there is one. */
  account?: string;
}

/** Settings of a {@link PostExportHook}. */
export interface PostExportHookOptions {
  url: string;
  allowedHosts?: string[];
  allowPrivateNetworks?: boolean;
  timeoutSeconds?: number;
  /** Sent with every call; never logged or put in messages. */
  headers?: Record<string, string>;
  /** How host names are resolved. Default: the system resolver. */
  resolve?: HostResolver;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const KEY = 'accounts.export.hook';

/** Every reason the URL is refused, before anything is resolved. */
function urlProblems(url: URL, options: PostExportHookOptions): string[] {
  const allowPrivate = options.allowPrivateNetworks ?? false;
  const host = hostOf(url);
  const problems: string[] = [];
  if (
    url.protocol !== 'https:' &&
    !(allowPrivate && url.protocol === 'http:')
  ) {
    problems.push(
      `${url.protocol} is not allowed (https only; http only with allowPrivateNetworks)`,
    );
  }
  if (
    options.allowedHosts &&
    !options.allowedHosts.some(h => h.toLowerCase() === host)
  ) {
    problems.push(`host ${host} is not in allowedHosts`);
  }
  if (!allowPrivate) {
    if (isIP(host)) {
      const problem = addressProblem(host);
      if (problem) problems.push(problem);
    } else if (isLocalHostName(host)) {
      problems.push(`${host} is a loopback name`);
    }
  }
  return problems;
}

/**
 * Tells another system that accounts.json changed: a POST of
 * `{ event: 'accounts.exported', generatedAt, accounts, account? }` as JSON
 * to `accounts.export.hook.url`. Guarded against server-side request
 * forgery: only https (http with `allowPrivateNetworks`), the host must be
 * in `allowedHosts` when that is set, and every address the host resolves
 * to must be public unicast unless `allowPrivateNetworks` (checked when the
 * config is read for literal addresses, and on every send after resolving;
 * the request then connects to the address that was checked, so a second
 * DNS answer cannot redirect it). Redirects are not followed. A non-2xx
 * answer or no answer in time fails with an error naming the host and the
 * status, never the headers.
 *
 * @public
 */
export class PostExportHook {
  private readonly url: URL;
  private readonly host: string;

  /** The hook of `accounts.export.hook`, or `undefined` when none is set. */
  static fromConfig(config: Config): PostExportHook | undefined {
    const hook = config.getOptionalConfig(KEY);
    if (!hook) return undefined;
    const headers = hook.getOptional(`headers`) as
      | Record<string, unknown>
      | undefined;
    for (const [name, value] of Object.entries(headers ?? {})) {
      if (!HEADER_NAME.test(name) || typeof value !== 'string') {
        throw new Error(
          `Invalid config ${KEY}.headers: '${name}' must be a header name with a string value`,
        );
      }
    }
    return new PostExportHook({
      url: hook.getString('url'),
      allowedHosts: hook.getOptionalStringArray('allowedHosts'),
      allowPrivateNetworks: hook.getOptionalBoolean('allowPrivateNetworks'),
      timeoutSeconds: hook.getOptionalNumber('timeoutSeconds'),
      headers: headers as Record<string, string> | undefined,
    });
  }

  /** Throws an error naming `accounts.export.hook` when the URL is refused. */
  constructor(private readonly options: PostExportHookOptions) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new Error(`Invalid config ${KEY}.url: not a URL`);
    }
    const problems = urlProblems(url, options);
    if (problems.length > 0) {
      throw new Error(
        `Invalid config ${KEY}.url: ${url.protocol}//${hostOf(
          url,
        )} is refused: ${problems.join('; ')}`,
      );
    }
    const timeout = options.timeoutSeconds ?? 10;
    if (!(timeout > 0 && timeout <= 300)) {
      throw new Error(
        `Invalid config ${KEY}.timeoutSeconds: must be above 0 and at most 300`,
      );
    }
    this.url = url;
    this.host = hostOf(url);
  }

  /** POSTs the event; resolves when the hook answered 2xx. */
  async send(event: PostExportEvent): Promise<void> {
    const { host } = this;
    let address: string;
    try {
      address = await resolveCheckedAddress(host, {
        allowPrivateNetworks: this.options.allowPrivateNetworks ?? false,
        resolve: this.options.resolve ?? systemResolver,
      });
    } catch (error) {
      throw new NotAllowedError(
        `Export hook at ${host} refused: ${(error as Error).message}`,
      );
    }
    const body = JSON.stringify({
      event: 'accounts.exported',
      generatedAt: event.generatedAt,
      accounts: event.accounts,
      ...(event.account !== undefined && { account: event.account }),
    });
    const status = await this.post(address, body);
    if (status < 200 || status > 299) {
      throw new ServiceUnavailableError(
        `Export hook at ${host} answered ${status}`,
      );
    }
  }

  /** One POST to `address`, under the timeout; the answer's status. */
  private post(address: string, body: string): Promise<number> {
    const { url, host } = this;
    const timeoutSeconds = this.options.timeoutSeconds ?? 10;
    const family = isIP(address);
    // Connect to the checked address whatever the name resolves to now.
    const pinned: LookupFunction = (_name, opts, callback) => {
      if (opts.all) callback(null, [{ address, family }]);
      else callback(null, address, family);
    };
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise<number>((resolve, reject) => {
      const request = transport.request(url, {
        method: 'POST',
        lookup: pinned,
        agent: false,
        ...(url.protocol === 'https:' && !isIP(host) && { servername: host }),
        headers: {
          ...this.options.headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'fleet-portal',
        },
      });
      const timer = setTimeout(() => {
        request.destroy(new Error('timeout'));
      }, timeoutSeconds * 1000);
      const fail = (error: Error) => {
        clearTimeout(timer);
        reject(
          new ServiceUnavailableError(
            error.message === 'timeout'
              ? `Export hook at ${host} did not answer within ${timeoutSeconds} s`
              : `Export hook at ${host} is unreachable: ${
                  (error as NodeJS.ErrnoException).code ?? error.message
                }`,
          ),
        );
      };
      request.on('error', fail);
      request.on('response', response => {
        response.on('error', fail);
        // The answer's body is not needed, but must be read to finish.
        response.resume();
        response.on('end', () => {
          clearTimeout(timer);
          resolve(response.statusCode ?? 0);
        });
      });
      request.end(body);
    });
  }
}
