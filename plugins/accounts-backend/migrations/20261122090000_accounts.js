// @ts-check

/**
 * The account registry: one row per customer account (tenant).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('accounts', table => {
    table.comment('Customer accounts (tenants) and their global configuration');
    table
      .string('name', 63)
      .primary()
      .notNullable()
      .comment('DNS-1123 label; the namespace and config folder name');
    table.string('display_name', 255).notNullable();
    table.string('environment', 63).notNullable();
    table.string('region', 63).notNullable();
    table.string('gcp_project', 63).notNullable();
    table.string('cluster', 63).notNullable();
    table.boolean('active').notNullable().defaultTo(true);
    table.boolean('is_uat').notNullable().defaultTo(false);
    table.string('owner', 255).notNullable();
    table.text('labels').notNullable().comment('JSON object of string labels');
    table
      .text('services')
      .notNullable()
      .comment('JSON array of enabled services with their values overrides');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.string('created_by', 255).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.string('updated_by', 255).notNullable();
    table
      .integer('version')
      .notNullable()
      .defaultTo(1)
      .comment('Bumped on every change (optimistic concurrency)');
    table.index(['environment'], 'accounts_environment_idx');
    table.index(['region'], 'accounts_region_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('accounts');
};
