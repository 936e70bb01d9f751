// @ts-check

/**
 * Long-running workflows (deploys) with their steps, and the deployments they
 * record. An operation is run by the replica holding its lease; when the lease
 * runs out (a replica died or restarted), another one resumes it.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('operations', table => {
    table.comment('Workflows run by the accounts backend, e.g. deploys');
    table.string('id', 36).primary();
    table.string('kind', 32).notNullable();
    table
      .string('account_name', 63)
      .notNullable()
      .references('name')
      .inTable('accounts')
      .onDelete('CASCADE');
    table
      .string('status', 16)
      .notNullable()
      .comment('pending, running, succeeded or failed');
    table.string('requested_by', 255).notNullable();
    table.text('reason');
    table.text('request').notNullable().comment('JSON: the request body');
    table
      .text('steps')
      .notNullable()
      .comment('JSON: the steps and their state');
    table.text('error');
    table.string('commit_sha', 64);
    table.string('deployment_id', 36);
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.timestamp('finished_at', { useTz: true });
    table.string('lease_owner', 64).comment('The replica running it');
    table
      .bigInteger('lease_expires_at')
      .comment('Epoch ms; after it, another replica may resume it');
    table.index(['status', 'lease_expires_at'], 'operations_status_lease_idx');
    table.index(['account_name', 'created_at'], 'operations_account_idx');
  });
  // One unfinished operation per account: a second deploy waits its turn.
  // Partial unique indexes work the same on PostgreSQL and SQLite.
  await knex.raw(
    `CREATE UNIQUE INDEX operations_one_active_uq ON operations (account_name) WHERE status IN ('pending', 'running')`,
  );
  await knex.schema.createTable('deployments', table => {
    table.comment('Finished deploys of accounts: who, what, when, commit');
    table.string('id', 36).primary();
    table
      .string('account_name', 63)
      .notNullable()
      .references('name')
      .inTable('accounts')
      .onDelete('CASCADE');
    table.string('environment', 63).notNullable();
    table.string('cluster', 63).notNullable();
    table.string('operation_id', 36).notNullable();
    table.string('commit_sha', 64).notNullable();
    table.text('versions').notNullable().comment('JSON: service -> image tag');
    table.string('deployed_by', 255).notNullable();
    table.text('reason');
    table.timestamp('deployed_at', { useTz: true }).notNullable();
    // Recording a deployment twice (a resumed operation) keeps one row.
    table.unique(['operation_id'], { indexName: 'deployments_operation_uq' });
    table.index(['account_name', 'deployed_at'], 'deployments_account_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('deployments');
  await knex.schema.dropTable('operations');
};
