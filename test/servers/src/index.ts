/**
 * Local servers that speak the HTTP APIs of the services Fleet Portal talks
 * to, so tests run the real clients against them.
 *
 * @packageDocumentation
 */

export * from './gcs/GcsTestServer';
export * from './github/GithubTestServer';
