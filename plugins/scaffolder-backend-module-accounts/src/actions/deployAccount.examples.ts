import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Deploy an account chosen in the form, with a reason',
    example: yaml.stringify({
      steps: [
        {
          id: 'deploy',
          action: 'accounts:deploy',
          name: 'Deploy the account',
          input: {
            name: '${{ parameters.account }}',
            reason: '${{ parameters.reason }}',
          },
        },
      ],
    }),
  },
  {
    description: 'Deploy with pinned service versions',
    example: yaml.stringify({
      steps: [
        {
          id: 'deploy',
          action: 'accounts:deploy',
          name: 'Deploy the account',
          input: {
            name: 'acme',
            reason: 'Hotfix 1.4.3 of backend',
            versions: { backend: '1.4.3' },
          },
        },
      ],
    }),
  },
];
