// Validates every object in the given YAML files ("-" reads standard input) against the
// Kubernetes API schema, using kubernetes-models: one line per object, exit code 1 on any error.
// Kustomization files are kustomize's, not the API server's: `kubectl kustomize` checks them.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

// "apps/v1" -> kubernetes-models/apps/v1, "v1" -> kubernetes-models/v1
async function modelClass(apiVersion, kind) {
  let module;
  try {
    module = await import(`kubernetes-models/${apiVersion}`);
  } catch {
    throw new Error(`unknown apiVersion ${apiVersion}`);
  }
  if (typeof module[kind] !== "function") {
    throw new Error(`unknown kind ${kind} in ${apiVersion}`);
  }
  return module[kind];
}

const inputs = process.argv.slice(2);
if (inputs.length === 0) {
  console.error("usage: node validate.mjs <file.yaml>... | -");
  process.exit(2);
}

let checked = 0;
let failed = 0;
for (const input of inputs) {
  const text = readFileSync(input === "-" ? 0 : input, "utf8");
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) {
      console.log(`FAIL ${input}: ${document.errors.map((e) => e.message).join("; ")}`);
      failed++;
      continue;
    }
    const object = document.toJS();
    if (object === null || object.kind === "Kustomization") {
      continue;
    }
    const name = `${input}: ${object.kind}/${object.metadata?.name}`;
    checked++;
    try {
      const Model = await modelClass(object.apiVersion, object.kind);
      new Model(object).validate();
      console.log(`ok   ${name}`);
    } catch (error) {
      console.log(`FAIL ${name}: ${error.message}`);
      failed++;
    }
  }
}

console.log(`${checked} objects checked, ${failed} failed`);
process.exit(failed > 0 || checked === 0 ? 1 : 0);
