/* eslint-disable @typescript-eslint/no-require-imports */
// Mocha's spec reporter, plus one closing line "N passed, N failed" that CI systems recognise
// whatever the test runner.
const { reporters } = require("mocha");

class SpecWithSummary extends reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once("end", () => {
      const { passes, failures, pending } = this.stats;
      console.log(`${passes} passed, ${failures} failed${pending ? `, ${pending} skipped` : ""}`);
    });
  }
}

module.exports = SpecWithSummary;
