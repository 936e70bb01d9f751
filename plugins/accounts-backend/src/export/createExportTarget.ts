import { Config } from '@backstage/config';
import { resolve } from 'path';
import { ExportTarget } from './ExportTarget';
import { FolderExportTarget } from './FolderExportTarget';
import { GcsExportTarget } from './GcsExportTarget';

/** Cloud Storage's rule for bucket names (without the dotted-domain case). */
const BUCKET_NAME = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/;

/**
 * Builds the target configured under `accounts.export`: a folder, a Cloud
 * Storage object, or `undefined` when nothing is configured. Refuses a
 * configuration naming both.
 *
 * @public
 */
export function createExportTarget(config: Config): ExportTarget | undefined {
  const exportConfig = config.getOptionalConfig('accounts.export');
  if (!exportConfig) return undefined;
  const folder = exportConfig.getOptionalString('folder');
  const gcs = exportConfig.getOptionalConfig('gcs');
  if (folder && gcs) {
    throw new Error(
      "Invalid accounts.export: set either 'folder' or 'gcs', not both (set 'folder: null' to drop an inherited folder)",
    );
  }
  if (gcs) {
    const bucket = gcs.getString('bucket');
    if (!BUCKET_NAME.test(bucket)) {
      throw new Error(
        `Invalid accounts.export.gcs.bucket: '${bucket}' is not a Cloud Storage bucket name`,
      );
    }
    const object = gcs.getOptionalString('object');
    if (object !== undefined && (object === '' || object.startsWith('/'))) {
      throw new Error(
        'Invalid accounts.export.gcs.object: must be a non-empty object name not starting with /',
      );
    }
    return new GcsExportTarget({
      bucket,
      object,
      apiEndpoint: gcs.getOptionalString('apiEndpoint'),
      projectId: gcs.getOptionalString('projectId'),
      anonymous: gcs.getOptionalBoolean('anonymous'),
    });
  }
  if (folder) {
    return new FolderExportTarget(resolve(folder));
  }
  return undefined;
}
