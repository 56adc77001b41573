/**
 * A log worker thread (logWorkers.ts): opens the store again (it only reads)
 * and answers one job at a time: a stretch of the log to verify.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../db/openDatabase.ts';
import { verifyStretch, type VerifyStretchJob } from './verifyLog.ts';

const port = parentPort;
if (!port) throw new Error('logWorker.ts runs as a worker thread (logWorkers.ts)');
const db = await openDatabase((workerData as { url: string }).url, { mustExist: true });

port.on('message', (message: { job?: VerifyStretchJob; close?: true }) => {
  if (message.close) {
    void db.close().finally(() => process.exit(0));
    return;
  }
  verifyStretch(db, message.job!).then(
    (result) => port.postMessage({ result }),
    (error: unknown) => port.postMessage({ error: error instanceof Error ? error.message : String(error) }),
  );
});
