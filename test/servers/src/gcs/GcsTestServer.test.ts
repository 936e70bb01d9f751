import { ApiError, Storage } from '@google-cloud/storage';
import { crc32c } from './crc32c';
import { GcsTestServer } from './GcsTestServer';

// The local Cloud Storage server the export tests rely on: these tests show
// that it answers like Cloud Storage, both over raw HTTP and to the real
// client.

const BUCKET = 'fleet-exports';
let server: GcsTestServer;

beforeEach(async () => {
  server = await GcsTestServer.start({ buckets: [BUCKET] });
});
afterEach(async () => {
  await server.stop();
});

function mediaUpload(name: string, body: string, query = '') {
  return fetch(
    `${
      server.url
    }/upload/storage/v1/b/${BUCKET}/o?uploadType=media&name=${encodeURIComponent(
      name,
    )}${query}`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    },
  );
}

function client() {
  return new Storage({
    apiEndpoint: server.url,
    retryOptions: { autoRetry: false },
  });
}

describe('GcsTestServer', () => {
  it('computes CRC32C (Castagnoli) as Cloud Storage does', () => {
    // The check value of CRC-32C.
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it('treats ifGenerationMatch=0 as "must not exist" and answers 412 in the JSON API shape', async () => {
    const created = await mediaUpload(
      'a.json',
      '{"v":1}',
      '&ifGenerationMatch=0',
    );
    expect(created.status).toBe(200);
    const object = await created.json();
    // int64 fields are strings, as in the JSON API.
    expect(object).toMatchObject({
      kind: 'storage#object',
      name: 'a.json',
      bucket: BUCKET,
      metageneration: '1',
      size: '7',
      contentType: 'application/json',
    });
    expect(object.generation).toMatch(/^\d+$/);

    const again = await mediaUpload(
      'a.json',
      '{"v":2}',
      '&ifGenerationMatch=0',
    );
    expect(again.status).toBe(412);
    expect(await again.json()).toEqual({
      error: {
        code: 412,
        message:
          'At least one of the pre-conditions you specified did not hold.',
        errors: [
          {
            message:
              'At least one of the pre-conditions you specified did not hold.',
            domain: 'global',
            reason: 'conditionNotMet',
            locationType: 'header',
            location: 'If-Match',
          },
        ],
      },
    });
    // Nothing changed.
    expect(server.object(BUCKET, 'a.json')?.data.toString()).toBe('{"v":1}');
  });

  it('writes only on the current generation and metageneration, and generations increase', async () => {
    const first = await (await mediaUpload('b.json', '1')).json();
    const stale = await mediaUpload(
      'b.json',
      '2',
      `&ifGenerationMatch=${Number(first.generation) - 1}`,
    );
    expect(stale.status).toBe(412);
    const wrongMeta = await mediaUpload(
      'b.json',
      '2',
      '&ifMetagenerationMatch=2',
    );
    expect(wrongMeta.status).toBe(412);
    const missingMeta = await mediaUpload(
      'missing.json',
      '2',
      '&ifMetagenerationMatch=1',
    );
    expect(missingMeta.status).toBe(412);

    const second = await mediaUpload(
      'b.json',
      '2',
      `&ifGenerationMatch=${first.generation}&ifMetagenerationMatch=1`,
    );
    expect(second.status).toBe(200);
    const secondObject = await second.json();
    expect(BigInt(secondObject.generation)).toBeGreaterThan(
      BigInt(first.generation),
    );
    expect(server.object(BUCKET, 'b.json')?.data.toString()).toBe('2');
  });

  it('answers 404 in the JSON API shape for a missing object or bucket', async () => {
    const missing = await fetch(
      `${server.url}/storage/v1/b/${BUCKET}/o/nothing.json`,
    );
    expect(missing.status).toBe(404);
    expect((await missing.json()).error).toMatchObject({
      code: 404,
      message: `No such object: ${BUCKET}/nothing.json`,
      errors: [{ reason: 'notFound' }],
    });
    const noBucket = await fetch(
      `${server.url}/upload/storage/v1/b/other/o?uploadType=media&name=x`,
      { method: 'POST', body: 'x' },
    );
    expect(noBucket.status).toBe(404);
  });

  it('serves the real client: multipart upload with preconditions, metadata, validated download', async () => {
    const file = client().bucket(BUCKET).file('dir/accounts.json');
    await file.save('{"hello":"world"}', {
      resumable: false,
      contentType: 'application/json',
      preconditionOpts: { ifGenerationMatch: 0 },
    });
    const uploads = server.requestsMatching({ kind: 'upload' });
    expect(uploads).toHaveLength(1);
    expect(uploads[0].query).toMatchObject({
      uploadType: 'multipart',
      name: 'dir/accounts.json',
      ifGenerationMatch: '0',
    });

    const error = await file
      .save('{"hello":"again"}', {
        resumable: false,
        preconditionOpts: { ifGenerationMatch: 0 },
      })
      .then(() => undefined)
      .catch(e => e as ApiError);
    expect(error).toMatchObject({ code: 412 });
    expect(error?.message).toContain(
      'pre-conditions you specified did not hold',
    );

    const [metadata] = await file.getMetadata();
    expect(metadata).toMatchObject({
      name: 'dir/accounts.json',
      size: '17',
      md5Hash: expect.any(String),
      crc32c: expect.any(String),
    });
    // The client checks the body against x-goog-hash: with a wrong CRC32C
    // or MD5 these downloads would fail with CONTENT_DOWNLOAD_MISMATCH.
    const [crcChecked] = await file.download({ validation: 'crc32c' });
    expect(crcChecked.toString()).toBe('{"hello":"world"}');
    const [md5Checked] = await file.download({ validation: 'md5' });
    expect(md5Checked.toString()).toBe('{"hello":"world"}');

    const missing = await client()
      .bucket(BUCKET)
      .file('none.json')
      .download()
      .catch(e => e as ApiError);
    expect(missing).toMatchObject({ code: 404 });
  });

  it('answers injected faults to the next matching requests only, and logs every request', async () => {
    server.injectFault({ status: 503, times: 2, match: { kind: 'upload' } });
    server.injectFault({ status: 429, times: 1, match: { kind: 'metadata' } });
    expect((await mediaUpload('c.json', '1')).status).toBe(503);
    const metadata = await fetch(
      `${server.url}/storage/v1/b/${BUCKET}/o/c.json`,
    );
    expect(metadata.status).toBe(429);
    expect((await metadata.json()).error.errors[0].reason).toBe(
      'rateLimitExceeded',
    );
    const unavailable = await mediaUpload('c.json', '1');
    expect(unavailable.status).toBe(503);
    expect((await unavailable.json()).error).toMatchObject({
      code: 503,
      errors: [{ reason: 'backendError' }],
    });
    expect((await mediaUpload('c.json', '1')).status).toBe(200);
    expect(server.object(BUCKET, 'c.json')?.data.toString()).toBe('1');
    expect(
      server.requests.map(r => [r.kind, r.object, r.status, r.injected]),
    ).toEqual([
      ['upload', 'c.json', 503, true],
      ['metadata', 'c.json', 429, true],
      ['upload', 'c.json', 503, true],
      ['upload', 'c.json', 200, false],
    ]);
  });

  it('answers 429 to writes to one object closer together than the configured interval', async () => {
    const limited = await GcsTestServer.start({
      buckets: [BUCKET],
      objectMutationIntervalMs: 200,
    });
    try {
      const upload = (name: string) =>
        fetch(
          `${limited.url}/upload/storage/v1/b/${BUCKET}/o?uploadType=media&name=${name}`,
          { method: 'POST', body: 'x' },
        );
      expect((await upload('d.json')).status).toBe(200);
      expect((await upload('d.json')).status).toBe(429);
      expect((await upload('e.json')).status).toBe(200);
      await new Promise(resolve => setTimeout(resolve, 220));
      expect((await upload('d.json')).status).toBe(200);
    } finally {
      await limited.stop();
    }
  });
});
