/** The environments tests and benchmarks configure: staging and production. */
export const testEnvironments = [
  {
    name: 'staging',
    regions: ['europe-west4'],
    clusters: [{ name: 'staging-eu', region: 'europe-west4' }],
  },
  {
    name: 'production',
    regions: ['europe-west4', 'us-central1'],
    clusters: [
      { name: 'production-eu', region: 'europe-west4' },
      { name: 'production-us', region: 'us-central1' },
    ],
  },
];
