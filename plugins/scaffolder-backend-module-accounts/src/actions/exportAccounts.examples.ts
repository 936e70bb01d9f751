import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Export accounts.json after registering an account',
    example: yaml.stringify({
      steps: [
        {
          id: 'export',
          action: 'accounts:export',
          name: 'Export accounts.json',
        },
      ],
    }),
  },
];
