// Reading and writing user-named keys (variables, params and fields of the files a user gives)
// as own properties only: a key such as `__proto__`, `constructor` or `toString` must neither
// reach the prototype chain when read nor replace the prototype when written.

/** The value of `record`'s own property `key`, or undefined. */
export function own(record: object, key: string): unknown {
  return Object.hasOwn(record, key) ? (record as Record<string, unknown>)[key] : undefined;
}

/** Defines `key` on `record` as an own, enumerable property (`__proto__` included). */
export function setOwn(record: object, key: string, value: unknown): void {
  Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
}
