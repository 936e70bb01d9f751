import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: "Commit a new account's folder to the config repository",
    example: yaml.stringify({
      steps: [
        {
          id: 'commit',
          action: 'accounts:config:commit',
          name: 'Commit the config',
          input: {
            name: '${{ parameters.name }}',
            reason: 'New account requested by ${{ user.entity.metadata.name }}',
          },
        },
      ],
    }),
  },
];
