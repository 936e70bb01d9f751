import { describeConfigRepositoryContract } from '../../__testUtils__/configRepositoryContract';
import { startGithubFixture } from './__testUtils__/githubFixture';

describeConfigRepositoryContract('GithubConfigRepository', seed =>
  startGithubFixture(seed),
);
