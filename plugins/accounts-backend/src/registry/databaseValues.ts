/** Unique-key violations of PostgreSQL and SQLite. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE'
  );
}

/** A timestamp column as ISO 8601 (PostgreSQL gives Dates, SQLite numbers or strings). */
export function toIso(value: Date | string): string {
  return new Date(value).toISOString();
}
