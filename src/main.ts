// `npm start`: the server on its embedded store, with every flag also readable from the environment.
process.argv.splice(2, 0, 'serve');
await import('./cli/main.ts');
