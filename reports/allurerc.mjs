// Allure 3 configuration of the suite (`make report`, `reconnection-conformance allure`: both pass
// it with --config, and the output directory with -o). Shipped in the wheel.
// Categories name the suite's verdicts; history accumulates under reports/history/ so that
// successive runs on one machine (or a CI cache of that folder) show trends.
export default {
  name: "Reconnection conformance",
  output: "./reports/allure-report",
  historyPath: process.env.ALLURE_HISTORY_PATH ?? "./reports/history/history.jsonl",
  appendHistory: true,
  plugins: {
    awesome: {
      options: {
        reportName: "Reconnection conformance",
        singleFile: true,
        groupBy: ["epic", "feature", "story"],
      },
    },
  },
  categories: [
    { name: "Non-conformant (a documented rule broken)", matchedStatuses: ["failed"], messageRegex: "expected:" },
    { name: "Adapter hung (wall-clock guard or busy loop)", matchedStatuses: ["broken"], traceRegex: "AdapterHung" },
    { name: "Sandbox violation (real socket, sleep or URL)", matchedStatuses: ["broken"], traceRegex: "SandboxViolation" },
    { name: "Adapter error (the adapter raised)", matchedStatuses: ["broken"], traceRegex: "AdapterError" },
    { name: "Adapter flooded (event or request flood)", matchedStatuses: ["broken"], traceRegex: "AdapterFlooded" },
    { name: "Expected failure (listed in --expectations)", matchedStatuses: ["skipped"], messageRegex: "XFAIL expected " },
    { name: "Not applicable (capability or profile)", matchedStatuses: ["skipped"], messageRegex: "not applicable" },
    { name: "Suite error (not a verdict: report it to the suite)", matchedStatuses: ["broken", "failed"] },
  ],
};
