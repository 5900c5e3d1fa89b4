import { buildCatalogue, Catalogue } from '../../server/src/analysis/rules/catalogue';
import { RuleMatcher } from '../../server/src/analysis/rules/matcher';
import { shippedRuleSources } from '../../server/src/rulesOnDisk';
import { analyzeLog, AnalyzedLog } from '../../server/src/analysis/service';
import { TimeContext } from '../../server/src/analysis/parse/document';

let cached: { catalogue: Catalogue; matcher: RuleMatcher } | undefined;

/** The built-in catalogue as shipped, loaded once per test process. */
export function builtIn(): { catalogue: Catalogue; matcher: RuleMatcher } {
  if (!cached) {
    const catalogue = buildCatalogue(shippedRuleSources());
    cached = { catalogue, matcher: new RuleMatcher(catalogue.rules) };
  }
  return cached;
}

/** A fixed time context: UTC, logs ending 2010-12-31, so results never depend on the machine. */
export const FIXED_TIME: TimeContext = { zone: 'UTC', yearReference: { year: 2010, month: 12, day: 31, source: 'setting' } };

/** Analyses text with the built-in catalogue and a fixed time context. */
export function analyzeText(text: string, context: TimeContext = FIXED_TIME): AnalyzedLog {
  return analyzeLog(text, context, builtIn().matcher);
}
