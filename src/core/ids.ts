// Record ids as they arrive from people and buttons: typed (`/pulse close 12`), in a Slack
// action id (`pulse:12:3`), in Teams card data. The database's ids are positive integers
// within Prisma's Int (32 bits); anything else (1e23, -1, 1.5, 99999999999) names no
// record, so a look-up answers "not found" without asking the database, which would
// otherwise fail with an internal error on a number it cannot bind.
export const MAX_RECORD_ID = 2_147_483_647;

export function isRecordId(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= MAX_RECORD_ID;
}

/** A typed number meant as an id, as a message quotes it back: `pulse #12`, or `pulse with that number` for 1e23. */
export function idReference(what: string, id: number): string {
  return Number.isSafeInteger(id) ? `${what} #${id}` : `${what} with that number`;
}
