// The preflight panel: before a long restore, read the first bytes of every backup file from S3
// (with the form's bucket and keys) and show per file its type, database, SQL Server version,
// stripe k of n and size, then the set's verdict and findings; a CORS refusal by the bucket
// explains what to configure. The package does not have the preflight in this version yet, so the
// panel says so; wiring it means implementing `#run` with the package call and `#showReport`.
import { h } from './dom.js';

export const PREFLIGHT_COLUMNS = ['File', 'Type', 'Database', 'SQL Server version', 'Stripe', 'Size'];

export class PreflightPanel {
  constructor(container) {
    this.button = h('button', { type: 'button', id: 'run-preflight', disabled: true, 'aria-describedby': 'preflight-status' }, 'Run preflight');
    this.status = h('p', { id: 'preflight-status', class: 'hint', role: 'status' },
      'Not available in this version yet: the S3 preflight comes with a later version of the package. '
      + 'It will check every file\'s backup header (full backup, database, version, stripes) before the restore starts.');
    this.table = h('table', { id: 'preflight-table', hidden: true },
      h('thead', {}, h('tr', {}, PREFLIGHT_COLUMNS.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody'));
    this.verdict = h('div', { id: 'preflight-verdict', hidden: true });
    container.append(h('p', { class: 'inline' }, this.button), this.status,
      h('div', { class: 'table-scroll' }, this.table), this.verdict);
  }

  /** The import input changed; `valid` says whether a preflight could run on it. */
  update() {
    // Stays disabled until the preflight is wired.
  }
}
