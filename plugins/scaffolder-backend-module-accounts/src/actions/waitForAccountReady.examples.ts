import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Wait until Flux has applied the commit of an earlier step',
    example: yaml.stringify({
      steps: [
        {
          id: 'ready',
          action: 'accounts:wait-ready',
          name: 'Wait for the HelmReleases',
          input: {
            name: '${{ parameters.name }}',
            revision: '${{ steps.commit.output.commitSha }}',
          },
        },
      ],
    }),
  },
  {
    description: 'Wait up to 20 minutes, asking every 10 seconds',
    example: yaml.stringify({
      steps: [
        {
          id: 'ready',
          action: 'accounts:wait-ready',
          name: 'Wait for the HelmReleases',
          input: {
            name: 'acme',
            timeoutSeconds: 1200,
            intervalSeconds: 10,
          },
        },
      ],
    }),
  },
];
