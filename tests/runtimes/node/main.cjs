// Node CommonJS consumer of the installed tarball: `require` through the exports map (`node` + `require`).
const api = require('sqlserverflex-restore');

import('../flow.mjs')
  .then(({ fullFlow }) => fullFlow(api, process.argv[2], 'node_cjs'))
  .then((result) => console.log(JSON.stringify({ resolved: require.resolve('sqlserverflex-restore'), ...result })))
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
