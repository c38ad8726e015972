// A small consumer of the published types: must compile under `strict`.
import { RestoreClient, buildImportRequest, version, type ImportAccepted, type ValidationError } from 'sqlserverflex-restore';

const client = new RestoreClient({ projectId: 'p', region: 'eu01', token: 't', apiVersion: 'v3alpha1', baseUrl: 'http://127.0.0.1:8787' });
const input = {
  instanceId: 'i',
  databaseName: 'sales',
  databaseOwner: 'dbo_owner',
  s3: { bucket: 's3://h/b/', accessKey: 'a', secretKey: 's', files: [{ number: 1, path: 's3://h/b/x.bak' }] },
};
const request = buildImportRequest({ projectId: 'p', region: 'eu01' }, input, { reveal: false });
const method: 'GET' | 'POST' = request.method;
const masked: string | undefined = client.buildImportRequest(input).headers['authorization'];
const v: string = version;

async function run(): Promise<string | undefined> {
  try {
    const result: ImportAccepted = await client.importFromS3(input);
    return result.traceId;
  } catch (e) {
    const error = e as ValidationError;
    return error.errors.map((i) => i.path).join(',');
  }
}
void run;
void method;
void masked;
void v;

import { toCurl, validateImport, type Instance, type RunningRestore } from 'sqlserverflex-restore';
const checked = validateImport(input);
const secretShown: '***' | undefined = checked.normalized?.s3.secretKey;
const curl: string = toCurl(request);
async function reads(): Promise<number> {
  const instance: Instance = await client.getInstance({ instanceId: 'i' });
  const jobs: RunningRestore[] = (await client.listRestoreJobs({ instanceId: 'i' })).runningRestores;
  await client.restorePointInTime({ instanceId: 'i', databaseName: 'a', name: 'b', restoreDateTime: new Date() });
  await client.listBackups({ instanceId: 'i', sort: 'end_time.desc', page: 1 });
  return jobs.length + (instance.storageSizeGb ?? 0);
}
void reads;
void secretShown;
void curl;

import { AuthError, NotFoundError, type WaitResult } from 'sqlserverflex-restore';
async function production(): Promise<string> {
  const keyed = new RestoreClient({ projectId: 'p', region: 'eu01', serviceAccountKey: '{"credentials":{}}', timeoutMs: 5000, retry: { maxRetries: 2 } });
  const done = await keyed.importFromS3(input, { wait: true, onProgress: (e) => void e.percent, maxWaitMs: 60_000 });
  const state: WaitResult['state'] = done.state;
  const accepted = await keyed.importFromS3(input, { signal: AbortSignal.timeout(1000) });
  for await (const backup of keyed.allBackups({ instanceId: 'i' })) void backup.databaseName;
  try {
    await keyed.getDatabase({ instanceId: 'i', databaseName: 'x' });
  } catch (e) {
    if (NotFoundError.isInstance(e) || e instanceof AuthError) return 'missing';
  }
  return `${state} ${accepted.loggingGuid}`;
}
void production;

import type { ClientPreflightResult, FindingCode } from 'sqlserverflex-restore';
async function checkFirst(): Promise<FindingCode[]> {
  const outcome: ClientPreflightResult = await client.preflight(
    { instanceId: 'i', databaseName: 'sales', databaseOwner: 'app', s3: input.s3 },
    { tail: true, skip: ['storage', 'backup'], signal: AbortSignal.timeout(1000) },
  );
  const state: string | undefined = outcome.instance?.state;
  const accepted = await client.importFromS3(input, { preflight: { tail: true }, force: false });
  void accepted.preflight?.verdict;
  void state;
  return outcome.report.findings.map((f) => f.code).concat(outcome.checks.filter((c) => c.status === 'problem').map(() => 'CHECK_FAILED' as const));
}
void checkFirst;
import { upload, type UploadResult, type UploadState } from 'sqlserverflex-restore';
async function uploads(file: Blob): Promise<number> {
  const s3 = { bucket: 's3://h/b/', accessKey: 'a', secretKey: 's' };
  let state: UploadState | undefined;
  try {
    const result: UploadResult = await upload({ s3, files: [file, '/tmp/x.bak', { name: 'y.bak', source: new Uint8Array(1) }] }, {
      partSize: 8 * 2 ** 20, concurrency: 4, payload: 'sha256', onFailure: 'keep', onProgress: (e) => void e.etaMs,
    });
    return result.files[0].number;
  } catch (e) {
    state = (e as { upload?: UploadState }).upload;
  }
  await upload({ s3, files: [file] }, { resume: state });
  const imported = await client.importFromS3(input, { upload: { files: [file], concurrency: 2 } });
  return imported.upload?.files.length ?? 0;
}
void uploads;

import {
  inspect, inspectFiles, preflight,
  type BackupHeader, type BackupSetSummary, type DatabaseFile, type FileReport, type PreflightReport, type TailProbe,
} from 'sqlserverflex-restore';
async function productionBackups(file: Blob): Promise<string[]> {
  const header: BackupHeader = inspect(new Uint8Array(65_536));
  const readable: boolean = header.kind === 'MTF' || header.kind === 'ENCRYPTED_OR_UNREADABLE';
  const compressed: boolean = header.compressed;
  const filemarkSize: number | null | undefined = header.filemarkSize;
  const logs: DatabaseFile[] = header.files.filter((f) => f.fileType === 'LOG');
  const allocated: number = header.files.reduce((total, f) => total + (f.size ?? 0), 0);
  const local: PreflightReport = await inspectFiles(['/tmp/sales.bak', file, { name: 'x.bak', source: new Uint8Array(8) }], { databaseName: 'sales' });
  const restoreSize: number | undefined = local.restoreSize;
  const { report } = await preflight({ s3: { ...input.s3, endpoint: 'http://127.0.0.1:9000' }, tail: false });
  const first: FileReport | undefined = report?.files[0];
  const tail: TailProbe | undefined = first?.tail;
  const sets: number = tail?.filemarks ? tail.filemarks.used / 2 : 0;
  const restored: BackupSetSummary | undefined = first?.backupSets?.find((s) => s.position === 1);
  const fileRestoreSize: number | undefined = first?.restoreSize;
  const codes: FindingCode[] = ['COMPRESSED', 'ENCRYPTED', 'ENCRYPTED_OR_UNREADABLE', 'MULTIPLE_BACKUP_SETS', 'BACKUP_TOO_OLD', 'SYSTEM_DATABASE'];
  void [readable, compressed, filemarkSize, logs, allocated, restoreSize, fileRestoreSize, sets, restored?.backupDate, tail?.filemarks?.offsets];
  return codes;
}
void productionBackups;
