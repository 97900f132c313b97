/** A store that cannot be opened, read or written, with a message saying what to do about it. */
export class StoreError extends Error {
  override name = "StoreError";
}
