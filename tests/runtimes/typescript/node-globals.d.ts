// The one Node global the CommonJS consumer uses (the fixture installs no @types/node).
declare const process: { exitCode?: number };
