import { tf } from "./tf.ts";

/** Like tf.tidy for functions returning plain JS values: every tensor made inside is disposed. */
export function scoped<T>(f: () => T): T {
  tf.engine().startScope();
  try {
    return f();
  } finally {
    tf.engine().endScope();
  }
}
