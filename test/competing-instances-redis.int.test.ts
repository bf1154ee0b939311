/**
 * Issue 8: three competing subwatch instances on one group sharing a Redis dedup store
 * (the scenario and what it checks: test/competing-instances.scenario.ts).
 */
import { redisStore, runCompetingInstancesScenario } from './competing-instances.scenario';

runCompetingInstancesScenario(redisStore);
