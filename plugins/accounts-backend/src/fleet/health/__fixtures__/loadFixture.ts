import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { parseAllDocuments } from 'yaml';
import { KubeObject } from '../../../cluster/ClusterClient';

const FOLDER = resolvePackagePath(
  '@fleet-portal/plugin-accounts-backend',
  'src/fleet/health/__fixtures__',
);

/** The scenario names of this folder's fixture files. */
export function fixtureScenarios(): string[] {
  return readdirSync(FOLDER)
    .filter(file => file.endsWith('.yaml'))
    .map(file => file.replace(/\.yaml$/, ''))
    .sort();
}

/** The objects of one fixture file, by scenario name, freshly parsed. */
export function loadFixtures(scenario: string): KubeObject[] {
  const text = readFileSync(join(FOLDER, `${scenario}.yaml`), 'utf8');
  return parseAllDocuments(text).map(doc => {
    if (doc.errors.length > 0) throw doc.errors[0];
    return doc.toJS() as KubeObject;
  });
}

/** The one object of a fixture file, as a fresh copy each call. */
export function loadFixture(scenario: string): KubeObject {
  const [object, ...more] = loadFixtures(scenario);
  if (!object || more.length > 0) {
    throw new Error(`${scenario}.yaml must hold exactly one object`);
  }
  return object;
}
