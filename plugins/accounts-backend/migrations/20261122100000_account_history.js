// @ts-check

/**
 * Who changed which account, when, and what: one row per change.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('account_history', table => {
    table.comment('Change history of the accounts, one row per change');
    table.bigIncrements('id').primary();
    table
      .string('account_name', 63)
      .notNullable()
      .references('name')
      .inTable('accounts')
      .onDelete('CASCADE');
    table
      .integer('version')
      .notNullable()
      .comment("The account's version after the change");
    table.string('action', 16).notNullable().comment('create or update');
    table.timestamp('changed_at', { useTz: true }).notNullable();
    table.string('changed_by', 255).notNullable();
    table
      .text('changes')
      .notNullable()
      .comment('JSON: per changed field, { from, to }');
    table.unique(['account_name', 'version'], {
      indexName: 'account_history_account_version_uq',
    });
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('account_history');
};
