// Prints what the real node-config (the `config` devDependency) loads, as JSON: run by real-node-config.ts
// in a child process with the environment and arguments under test (node-config reads them at require).
const config = require('config');
process.stdout.write(JSON.stringify(config));
