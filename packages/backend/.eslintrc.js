module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  overrides: [
    {
      // Benchmarks (`make bench`) are test code: they may use test utilities
      // and devDependencies, like *.test.ts files do.
      files: ['src/**/*.bench.ts'],
      rules: {
        'no-restricted-imports': 'off',
        '@backstage/no-undeclared-imports': 'off',
      },
    },
  ],
});
