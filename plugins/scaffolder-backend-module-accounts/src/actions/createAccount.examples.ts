import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Register a production account from the form',
    example: yaml.stringify({
      steps: [
        {
          id: 'create',
          action: 'accounts:create',
          name: 'Register the account',
          input: {
            name: '${{ parameters.name }}',
            displayName: '${{ parameters.displayName }}',
            environment: '${{ parameters.environment }}',
            region: '${{ parameters.region }}',
            cluster: '${{ parameters.cluster }}',
            isUat: '${{ parameters.isUat }}',
            services: '${{ parameters.services }}',
            owner: '${{ parameters.owner }}',
          },
        },
      ],
    }),
  },
  {
    description: 'Register a UAT account with a GCP project and labels',
    example: yaml.stringify({
      steps: [
        {
          id: 'create',
          action: 'accounts:create',
          name: 'Register the account',
          input: {
            name: 'globex-uat',
            displayName: 'Globex (UAT)',
            environment: 'staging',
            region: 'europe-west4',
            gcpProject: 'globex-staging-1',
            cluster: 'staging-eu',
            isUat: true,
            services: ['backend', 'engine'],
            owner: 'group:default/platform',
            labels: { tier: 'gold' },
          },
        },
      ],
    }),
  },
];
