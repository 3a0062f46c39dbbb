// Observable Plot and linkedom are optional peer dependencies: only `--html` needs them, so they
// are imported on demand, and a missing one is a message saying what to install (exit 2).
import type * as PlotModule from '@observablehq/plot';
import type { parseHTML } from 'linkedom';
import { CliError } from '../errors';

/** The two modules the report is drawn with. */
export interface ChartModules {
  readonly Plot: typeof PlotModule;
  readonly parseHTML: typeof parseHTML;
}

const isMissing = (error: unknown): boolean => {
  const code = (error as { code?: unknown }).code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
};

/** Loads Plot and linkedom, or throws a CliError naming the packages to install. */
export async function loadChartModules(): Promise<ChartModules> {
  try {
    const [Plot, linkedom] = await Promise.all([import('@observablehq/plot'), import('linkedom')]);
    return { Plot, parseHTML: linkedom.parseHTML };
  } catch (error) {
    if (!isMissing(error)) throw error;
    throw new CliError('--html needs the optional packages @observablehq/plot and linkedom: npm install @observablehq/plot linkedom');
  }
}
