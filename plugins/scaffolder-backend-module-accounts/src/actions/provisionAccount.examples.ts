import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: "Provision a new account's cluster side",
    example: yaml.stringify({
      steps: [
        {
          id: 'provision',
          action: 'accounts:provision',
          name: 'Provision namespace, secrets and Flux Kustomization',
          input: { name: '${{ parameters.name }}' },
        },
      ],
    }),
  },
];
