import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Read an account to deploy it',
    example: yaml.stringify({
      steps: [
        {
          id: 'account',
          action: 'accounts:get',
          name: 'Read the account',
          input: { name: '${{ parameters.account }}' },
        },
      ],
    }),
  },
];
