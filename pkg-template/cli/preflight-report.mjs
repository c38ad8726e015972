// The combined preflight report (backup files in S3 + the instance checks) as text: a table of the
// files, the findings worst first, and what each instance check found.
import { formatBytes, formatTable } from './output.mjs';

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 };

/** @param {import('./output.mjs').Output} out  @param {{ report, discovery?, instance?, checks? }} outcome */
export function printPreflight(out, { report, discovery, instance, checks }) {
  if (discovery) {
    out.line(`discovered ${discovery.sets.length} backup set(s); ${discovery.proposal ? `proposing the newest complete full backup (${discovery.proposal.length} file(s))` : 'none is a complete full backup'}`);
  }
  if (!report) return;
  const facts = instance
    ? `; instance ${instance.name}: ${instance.state}, SQL Server ${instance.version ?? '?'}, ${instance.storageSizeGb ?? '?'} GB`
    : '';
  out.line(`preflight: ${report.verdict.toUpperCase()} (${report.files.length} file(s), ${formatBytes(report.totalSize)}${facts})`);
  if (report.files.length > 0) {
    out.line(formatTable(
      ['FILE', 'STATUS', 'TYPE', 'DATABASE', 'SQL SERVER', 'STRIPE', 'SIZE'],
      report.files.map((f) => [
        f.path, f.status, f.header?.backupType ?? '-', f.header?.databaseName ?? '-', f.header?.sqlServerVersion ?? '-',
        f.header?.familyCount ? `${f.header.familySequence ?? '?'} of ${f.header.familyCount}` : '-', f.size ?? '-',
      ]),
    ));
  }
  const findings = [...report.findings].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  for (const f of findings) out.line(`${f.severity.padEnd(7)} ${f.code}: ${f.message}`);
  if (checks) out.line(`instance checks: ${checks.map((c) => `${c.check} ${c.status}`).join(', ')}`);
}
