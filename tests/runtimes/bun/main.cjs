// Bun consumer of the installed tarball (`require`).
const api = require('sqlserverflex-restore');

import('../flow.mjs')
  .then(({ importFlow }) => importFlow(api, process.argv[2], 'bun_cjs'))
  .then((result) => console.log(JSON.stringify({ resolved: require.resolve('sqlserverflex-restore'), runtime: Bun.version, ...result })))
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
