// The one font the chart's text uses, shipped as an npm package (Inter, SIL Open Font License 1.1): the server
// assumes no system fonts, so every label renders the same on every machine.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const CHART_FONT_FAMILY = 'Inter';

/** The TrueType file (resvg reads TTF/OTF, not WOFF). */
export function chartFontFile(): string {
  const require = createRequire(import.meta.url);
  const file = join(
    dirname(require.resolve('@expo-google-fonts/inter/package.json')),
    '400Regular',
    'Inter_400Regular.ttf',
  );
  if (!existsSync(file)) throw new Error(`the chart font is missing: ${file}`);
  return file;
}
