import { lookup } from 'dns/promises';
import { isIP } from 'net';
import ipaddr from 'ipaddr.js';

/** Readable names of `ipaddr.js` ranges, for messages. */
const RANGE_NAMES: Record<string, string> = {
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
  linkLocal: 'link-local',
  loopback: 'loopback',
  carrierGradeNat: 'carrier-grade NAT (CGNAT)',
  private: 'private',
  uniqueLocal: 'unique-local',
  reserved: 'reserved',
};

/** A URL's host without IPv6 brackets, lowercased. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
}

/**
 * Why a request must not go to `address`, or `undefined` when it is a
 * public unicast address. Anything `ipaddr.js` does not place in the
 * global unicast range is refused: loopback, link-local, private,
 * unique-local, CGNAT, multicast, unspecified, and also reserved,
 * documentation and translation ranges that could lead back inside.
 * IPv4-mapped IPv6 addresses are judged as the IPv4 address they carry.
 */
export function addressProblem(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  const parsed = ipaddr.process(address);
  const range = parsed.range();
  if (range === 'unicast') return undefined;
  // An IPv4-mapped address is named with the IPv4 address it carries.
  const judged = parsed.toString();
  const shown =
    parsed.kind() === 'ipv4' && judged !== address
      ? `${address} (${judged})`
      : address;
  return `${shown} is a ${RANGE_NAMES[range] ?? range} address`;
}

/** Host names that resolve to the machine itself without asking DNS. */
export function isLocalHostName(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost');
}

/** Resolves a host to all its addresses (an IP literal to itself). */
export type HostResolver = (host: string) => Promise<string[]>;

/** The system resolver, every address of every family. */
export const systemResolver: HostResolver = async host => {
  if (isIP(host)) return [host];
  const answers = await lookup(host, { all: true, verbatim: true });
  return answers.map(a => a.address);
};

/**
 * Resolves `host` once and checks every address it has; returns the first,
 * which the request must then connect to (so that a second DNS answer
 * cannot send it elsewhere). Throws an error naming the host and the
 * refused address unless `allowPrivateNetworks`.
 */
export async function resolveCheckedAddress(
  host: string,
  options: { allowPrivateNetworks: boolean; resolve: HostResolver },
): Promise<string> {
  let addresses: string[];
  try {
    addresses = await options.resolve(host);
  } catch (error) {
    throw new Error(
      `cannot resolve ${host} (${
        (error as NodeJS.ErrnoException)?.code ?? 'no answer'
      })`,
    );
  }
  if (addresses.length === 0) throw new Error(`${host} has no address`);
  if (!options.allowPrivateNetworks) {
    for (const address of addresses) {
      const problem = addressProblem(address);
      if (problem) {
        throw new Error(
          `${host} resolves to ${problem}; set allowPrivateNetworks to allow it`,
        );
      }
    }
  }
  return addresses[0];
}
