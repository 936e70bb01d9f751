/**
 * The fleet endpoint's answers the benchmark waits for and checks: the first
 * complete matrix (every row, no stale cluster), and a filtered matrix with
 * the rows the fixtures planned.
 */
import { FleetMatrix } from '@fleet-portal/plugin-accounts-common';
import http from 'http';
import { get } from './http';
import { sleep } from './wait';

/**
 * GETs the whole fleet until every account has its row and no cluster is
 * stale, giving up `deadlineMs` after `started`; the first GET's time is the
 * plugin's first desired read.
 */
export async function firstCompleteMatrix(
  agent: http.Agent,
  port: number,
  path: string,
  count: number,
  { started, deadlineMs }: { started: number; deadlineMs: number },
) {
  let matrix: FleetMatrix;
  let body: Buffer;
  let firstMatrixMs = 0;
  for (let attempt = 0; ; attempt++) {
    const t = performance.now();
    const answer = await get(agent, port, path);
    if (attempt === 0) firstMatrixMs = performance.now() - t;
    if (answer.status !== 200) {
      throw new Error(
        `GET ${path} answered ${answer.status}: ${answer.body.toString()}`,
      );
    }
    matrix = JSON.parse(answer.body.toString());
    body = answer.body;
    if (matrix.rows.length === count && matrix.clusters.every(c => !c.stale)) {
      break;
    }
    if (performance.now() - started > deadlineMs) {
      throw new Error(
        `The fleet is not complete: ${
          matrix.rows.length
        } rows, clusters ${JSON.stringify(matrix.clusters)}`,
      );
    }
    await sleep(100);
  }
  return { matrix, body, firstMatrixMs };
}

/** One filtered GET; it must be a 200 with the rows the fixtures planned. */
export async function checkedFilteredGet(
  agent: http.Agent,
  port: number,
  filteredPath: string,
  plannedRows: number,
) {
  const answer = await get(agent, port, filteredPath);
  const matrix: FleetMatrix = JSON.parse(answer.body.toString());
  if (answer.status !== 200 || matrix.rows.length !== plannedRows) {
    throw new Error(
      `GET ${filteredPath} answered ${answer.status} with ${matrix.rows?.length} rows, expected ${plannedRows}`,
    );
  }
  return { body: answer.body, rows: matrix.rows.length };
}
