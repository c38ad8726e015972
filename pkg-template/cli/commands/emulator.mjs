// `emulator`: the local API emulator (its own flags and help live with it, in emulator/cli.mjs).
export default {
  name: 'emulator',
  summary: 'run the local SQLServer Flex API emulator (--port, --time-scale, --scenario, …)',
  passThrough: true,
  async run({ argv }) {
    const { runEmulatorCli } = await import('../../emulator/cli.mjs');
    return runEmulatorCli(argv);
  },
};
