import { ConfigReader } from '@backstage/config';
import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import { AddressInfo } from 'net';
import {
  addressProblem,
  resolveCheckedAddress,
  systemResolver,
} from './hookAddresses';
import { PostExportHook } from './PostExportHook';

const SENTINEL = 'sentinel-6f1c0d';

interface Received {
  method?: string;
  url?: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let received: Received[];
let answer: (res: ServerResponse) => void;

beforeEach(async () => {
  received = [];
  answer = res => res.writeHead(204).end();
  server = createServer((req, res) => {
    let body = '';
    req.on('data', chunk => (body += chunk));
    req.on('end', () => {
      received.push({
        method: req.method,
        url: req.url,
        headers: req.headers,
        body,
      });
      answer(res);
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise(resolve => server.close(resolve));
});

function port() {
  return (server.address() as AddressInfo).port;
}

function hookConfig(hook: Record<string, any>) {
  return new ConfigReader({ accounts: { export: { hook } } });
}

describe('PostExportHook', () => {
  it('is absent unless configured', () => {
    expect(PostExportHook.fromConfig(new ConfigReader({}))).toBeUndefined();
  });

  it('POSTs the event as JSON with the configured headers', async () => {
    const hook = PostExportHook.fromConfig(
      hookConfig({
        url: `http://127.0.0.1:${port()}/hooks/fleet?x=1`,
        allowPrivateNetworks: true,
        headers: { Authorization: `Bearer ${SENTINEL}` },
      }),
    )!;
    await hook.send({
      generatedAt: '2026-11-22T16:09:00.000Z',
      accounts: 12,
      account: 'acme',
    });
    expect(received).toHaveLength(1);
    expect(received[0].method).toBe('POST');
    expect(received[0].url).toBe('/hooks/fleet?x=1');
    expect(received[0].headers['content-type']).toBe('application/json');
    expect(received[0].headers.authorization).toBe(`Bearer ${SENTINEL}`);
    expect(JSON.parse(received[0].body)).toEqual({
      event: 'accounts.exported',
      generatedAt: '2026-11-22T16:09:00.000Z',
      accounts: 12,
      account: 'acme',
    });
  });

  it('fails on a non-2xx answer naming the host and status, not the headers', async () => {
    answer = res => res.writeHead(502).end('bad gateway');
    const hook = new PostExportHook({
      url: `http://127.0.0.1:${port()}/`,
      allowPrivateNetworks: true,
      headers: { authorization: SENTINEL },
    });
    const error = await hook
      .send({ generatedAt: new Date().toISOString(), accounts: 1 })
      .catch(e => e);
    expect(error.name).toBe('ServiceUnavailableError');
    expect(error.message).toBe('Export hook at 127.0.0.1 answered 502');
    expect(JSON.stringify(error)).not.toContain(SENTINEL);
    expect(JSON.parse(received[0].body)).not.toHaveProperty('account');
  });

  it('fails when the hook does not answer within the timeout', async () => {
    answer = () => undefined; // never answers
    const hook = new PostExportHook({
      url: `http://127.0.0.1:${port()}/`,
      allowPrivateNetworks: true,
      timeoutSeconds: 0.2,
    });
    await expect(
      hook.send({ generatedAt: new Date().toISOString(), accounts: 1 }),
    ).rejects.toThrow('Export hook at 127.0.0.1 did not answer within 0.2 s');
  });

  it.each([
    [
      'http://127.0.0.1/',
      /http: is not allowed.*127\.0\.0\.1 is a loopback address/,
    ],
    [
      'http://169.254.169.254/',
      /http: is not allowed.*169\.254\.169\.254 is a link-local address/,
    ],
    [
      'http://10.0.0.1/',
      /http: is not allowed.*10\.0\.0\.1 is a private address/,
    ],
    ['http://[::1]/', /http: is not allowed.*::1 is a loopback address/],
    ['https://127.0.0.1/', /127\.0\.0\.1 is a loopback address/],
    ['https://169.254.169.254/latest/meta-data', /link-local/],
    ['https://10.0.0.1/', /10\.0\.0\.1 is a private address/],
    ['https://192.168.1.20/', /private/],
    ['https://[::1]/', /::1 is a loopback address/],
    ['https://[fd12::1]/', /unique-local/],
    ['https://100.64.0.1/', /carrier-grade NAT/],
    ['https://224.0.0.1/', /multicast/],
    ['https://0.0.0.0/', /unspecified/],
    ['https://[::ffff:127.0.0.1]/', /\(127\.0\.0\.1\) is a loopback address/],
    ['https://localhost/', /localhost is a loopback name/],
    ['https://api.localhost/', /loopback name/],
    ['ftp://hooks.example.org/', /ftp: is not allowed/],
  ])('refuses %s when the config is read', (url, message) => {
    expect(() => PostExportHook.fromConfig(hookConfig({ url }))).toThrow(
      /^Invalid config accounts\.export\.hook\.url: /,
    );
    expect(() => PostExportHook.fromConfig(hookConfig({ url }))).toThrow(
      message,
    );
  });

  it('refuses a host outside allowedHosts', () => {
    expect(
      () =>
        new PostExportHook({
          url: 'https://hooks.example.org/x',
          allowedHosts: ['hooks.example.com'],
        }),
    ).toThrow('host hooks.example.org is not in allowedHosts');
    expect(
      new PostExportHook({
        url: 'https://HOOKS.example.com/x',
        allowedHosts: ['hooks.example.com'],
      }),
    ).toBeInstanceOf(PostExportHook);
  });

  it('refuses at send time a name that resolves to a private address, connecting nowhere', async () => {
    const hook = new PostExportHook({
      url: `https://hooks.example.com/x`,
      resolve: async () => ['93.184.215.14', '127.0.0.1'],
    });
    const error = await hook
      .send({ generatedAt: new Date().toISOString(), accounts: 1 })
      .catch(e => e);
    expect(error.name).toBe('NotAllowedError');
    expect(error.message).toBe(
      'Export hook at hooks.example.com refused: hooks.example.com resolves to 127.0.0.1 is a loopback address; set allowPrivateNetworks to allow it',
    );
  });

  it('resolves once per send and connects to the address it checked', async () => {
    const answers = [['127.0.0.1'], ['203.0.113.7']];
    const asked: string[] = [];
    const hook = new PostExportHook({
      url: `http://hooks.example.com:${port()}/x`,
      allowPrivateNetworks: true,
      resolve: async host => {
        asked.push(host);
        return answers.shift() ?? [];
      },
    });
    await hook.send({ generatedAt: new Date().toISOString(), accounts: 3 });
    // The second answer (another address) was never asked for: the request
    // went to the first, checked one.
    expect(asked).toEqual(['hooks.example.com']);
    expect(received).toHaveLength(1);
    expect(received[0].headers.host).toBe(`hooks.example.com:${port()}`);
  });

  it('rejects bad header names and timeouts naming the key', () => {
    expect(() =>
      PostExportHook.fromConfig(
        hookConfig({
          url: 'https://hooks.example.com',
          headers: { 'a b': 'x' },
        }),
      ),
    ).toThrow("Invalid config accounts.export.hook.headers: 'a b'");
    expect(
      () =>
        new PostExportHook({
          url: 'https://hooks.example.com',
          timeoutSeconds: 0,
        }),
    ).toThrow('Invalid config accounts.export.hook.timeoutSeconds');
  });
});

describe('hook addresses', () => {
  it('accepts public unicast addresses only', () => {
    expect(addressProblem('93.184.215.14')).toBeUndefined();
    expect(addressProblem('2606:4700:4700::1111')).toBeUndefined();
    expect(addressProblem('172.16.5.4')).toBe(
      '172.16.5.4 is a private address',
    );
    expect(addressProblem('fe80::1')).toBe('fe80::1 is a link-local address');
  });

  it('finds with the system resolver that localhost is loopback', async () => {
    const addresses = await systemResolver('localhost');
    expect(addresses.length).toBeGreaterThan(0);
    await expect(
      resolveCheckedAddress('localhost', {
        allowPrivateNetworks: false,
        resolve: systemResolver,
      }),
    ).rejects.toThrow(/^localhost resolves to .* is a loopback address/);
  });
});
