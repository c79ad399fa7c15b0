// Module hooks of the Node client host (registered with module.register, so they run on
// Node's loader thread). An `import` of a module that reaches outside the sandbox resolves to a
// stand-in whose first statement reports the violation on the main thread and throws; its
// exports have the real module's names, so a static `import {connect} from "net"` links and
// then fails at evaluation (a link error would throw before anything could be reported).
// `require` is refused on the main thread by the host itself (Module._load).

import { createRequire } from "node:module";

// require, not import: an import here would come back through this very hook.
const require = createRequire(import.meta.url);

const BLOCKED = new Set(["net", "dns", "http", "https", "http2", "child_process", "tls", "dgram", "cluster", "worker_threads", "inspector"]);

export function blockedName(specifier) {
  const name = String(specifier).replace(/^node:/, "").split("/")[0];
  return BLOCKED.has(name) ? name : null;
}

export async function resolve(specifier, context, nextResolve) {
  const name = blockedName(specifier);
  if (name === null) return nextResolve(specifier, context);
  const real = require(`node:${name}`);
  const names = Object.keys(real).filter((n) => n !== "default" && /^[A-Za-z_$][\w$]*$/.test(n));
  const source = [
    `globalThis.__conformanceRefuse(${JSON.stringify(String(specifier))}, "import");`,
    "export default undefined;",
    ...names.map((n) => `export const ${n} = undefined;`),
  ].join("\n");
  return { url: `data:text/javascript,${encodeURIComponent(source)}`, shortCircuit: true, format: "module" };
}
