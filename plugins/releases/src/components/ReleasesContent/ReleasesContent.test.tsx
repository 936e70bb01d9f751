import { Entity } from '@backstage/catalog-model';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { screen } from '@testing-library/react';
import { ReleasesContent } from './ReleasesContent';

function service(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'backend', annotations },
    spec: { type: 'service', lifecycle: 'production', owner: 'platform' },
  };
}

describe('ReleasesContent', () => {
  it("shows the service's repository and HelmRelease", async () => {
    await renderInTestApp(
      <EntityProvider
        entity={service({
          'github.com/project-slug': 'acme-saas/backend',
          'fleet-portal.io/helm-release': 'backend-api',
        })}
      >
        <ReleasesContent />
      </EntityProvider>,
    );
    const link = screen.getByRole('link', { name: /acme-saas\/backend/ });
    expect(link).toHaveAttribute(
      'href',
      'https://github.com/acme-saas/backend',
    );
    expect(screen.getByText('backend-api')).toBeInTheDocument();
    expect(screen.queryByText(/No GitHub repository/)).not.toBeInTheDocument();
  });

  it('warns when the repository annotation is missing', async () => {
    await renderInTestApp(
      <EntityProvider entity={service({})}>
        <ReleasesContent />
      </EntityProvider>,
    );
    expect(screen.getByText(/No GitHub repository/)).toBeInTheDocument();
    expect(screen.getByText('not set')).toBeInTheDocument();
    // Without the annotation the HelmRelease defaults to the entity name.
    expect(screen.getAllByText('backend').length).toBeGreaterThan(0);
  });
});
