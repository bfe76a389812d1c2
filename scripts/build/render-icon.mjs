// Renders the marketplace icon media/promptrefine.png (128x128) from the activity-bar glyph
// media/promptrefine.svg: the glyph in white on a rounded blue square, so it reads on light and
// dark galleries alike. Run by hand when the glyph changes (`node scripts/build/render-icon.mjs`);
// the PNG is committed because vsce needs a raster icon and the build should not need a browser.
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const glyph = readFileSync('media/promptrefine.svg', 'utf8').replace('width="24" height="24"', 'width="92" height="92"');
const html = `<html><body style="margin:0;background:transparent">
<div style="width:128px;height:128px;border-radius:24px;background:linear-gradient(160deg,#3b82f6,#1d4ed8);color:#fff;
display:flex;align-items:center;justify-content:center">${glyph}</div></body></html>`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
  await page.setContent(html);
  await page.screenshot({ path: 'media/promptrefine.png', omitBackground: true });
} finally {
  await browser.close();
}
