// Shared by the MCMC-on-a-model tests: compile a model file from this folder.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { compile } from "../../../src/api/index.ts";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export const compileModel = (file: string, model?: string) => compile(readFileSync(here(file), "utf8"), { file, ...(model ? { model } : {}) });

export const fixture = (name: string) => JSON.parse(readFileSync(here(`fixtures/${name}.json`), "utf8"));
