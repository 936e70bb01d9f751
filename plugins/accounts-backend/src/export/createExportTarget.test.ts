import { ConfigReader } from '@backstage/config';
import { resolve } from 'path';
import { createExportTarget } from './createExportTarget';

type ConfigData = NonNullable<ConstructorParameters<typeof ConfigReader>[0]>;

function configWith(exportConfig: ConfigData) {
  return new ConfigReader({ accounts: { export: exportConfig } });
}

describe('createExportTarget', () => {
  it('builds nothing without accounts.export', () => {
    expect(createExportTarget(new ConfigReader({}))).toBeUndefined();
    expect(createExportTarget(configWith({}))).toBeUndefined();
  });

  it('builds a folder target', () => {
    expect(createExportTarget(configWith({ folder: 'out' }))?.describe()).toBe(
      `folder:${resolve('out')}`,
    );
  });

  it('builds a Cloud Storage target, accounts.json unless another object is named', () => {
    expect(
      createExportTarget(
        configWith({ gcs: { bucket: 'acme-fleet' } }),
      )?.describe(),
    ).toBe('gcs://acme-fleet/accounts.json');
    expect(
      createExportTarget(
        configWith({
          gcs: {
            bucket: 'acme-fleet',
            object: 'exports/accounts.json',
            apiEndpoint: 'http://127.0.0.1:4443',
            anonymous: true,
          },
        }),
      )?.describe(),
    ).toBe('gcs://acme-fleet/exports/accounts.json');
  });

  it('refuses both a folder and a bucket', () => {
    expect(() =>
      createExportTarget(
        configWith({ folder: 'out', gcs: { bucket: 'acme-fleet' } }),
      ),
    ).toThrow(
      "Invalid accounts.export: set either 'folder' or 'gcs', not both",
    );
  });

  it('drops a folder set to null by a later config file', () => {
    const config = ConfigReader.fromConfigs([
      {
        context: 'app-config.yaml',
        data: { accounts: { export: { folder: 'out' } } },
      },
      {
        context: 'app-config.production.yaml',
        data: {
          accounts: { export: { folder: null, gcs: { bucket: 'acme-fleet' } } },
        },
      },
    ]);
    expect(createExportTarget(config)?.describe()).toBe(
      'gcs://acme-fleet/accounts.json',
    );
  });

  it('refuses a missing or malformed bucket, and anonymous access to Cloud Storage itself', () => {
    expect(() => createExportTarget(configWith({ gcs: {} }))).toThrow(
      "Missing required config value at 'accounts.export.gcs.bucket'",
    );
    expect(() =>
      createExportTarget(configWith({ gcs: { bucket: 'Not A Bucket' } })),
    ).toThrow(
      "Invalid accounts.export.gcs.bucket: 'Not A Bucket' is not a Cloud Storage bucket name",
    );
    expect(() =>
      createExportTarget(
        configWith({ gcs: { bucket: 'acme-fleet', anonymous: true } }),
      ),
    ).toThrow('anonymous access needs an apiEndpoint');
  });
});
