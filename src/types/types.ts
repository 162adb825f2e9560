// The type vocabulary (sizes, supports, tensor types) is part of the IR: src/ir/types.ts. The
// checker and everything written against this path read it from here.
export * from "../ir/types.ts";
