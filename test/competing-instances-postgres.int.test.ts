/**
 * Issue 8: three competing subwatch instances on one group sharing a PostgreSQL dedup store
 * (the scenario and what it checks: test/competing-instances.scenario.ts).
 */
import { postgresStore, runCompetingInstancesScenario } from './competing-instances.scenario';

runCompetingInstancesScenario(postgresStore);
