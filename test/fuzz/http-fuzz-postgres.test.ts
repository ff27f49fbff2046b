// The same fuzz on PostgreSQL, where text refuses NUL and the types are stricter: a shorter run.
process.env.FUZZ_DIALECT = 'postgres';
process.env.FUZZ_REQUESTS ??= '1200';
await import('./http-fuzz.test.ts');
