// Maps people can use (issue 16): the demo district drawn on real neighbourhood boundaries (Seoul
// 중랑구, 2013), every facility point inside its own dong, labels in rem that grow with the
// text-size setting, "내 동네" shaded and distances from a dong or address the resident types; no
// tile server. At 360 px × every text size: no sideways scrolling, axe-core clean, screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { launchBrowser, openPage, goto, expectNoSerious, expectNoOverflow, assertClean } from './_browser.mjs';

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

async function atSize(size, width = 360) {
  const opened = await openPage(browser, { width, height: 780 });
  await opened.context.addInitScript((s) => { try { localStorage.setItem('dure.textSize', s); } catch { /* */ } }, size);
  return opened;
}
// Label size in CSS px against the root font size: rem labels follow the text setting.
const labelRatio = (page, sel) => page.evaluate((s) => {
  const el = document.querySelector(s);
  if (!el) return null;
  return parseFloat(getComputedStyle(el).fontSize) / parseFloat(getComputedStyle(document.documentElement).fontSize);
}, sel);

// Ray casting in lon/lat.
function inside(ring, lon, lat) {
  let inn = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i], [xj, yj] = ring[j];
    if ((yi > lat) !== (yj > lat) && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inn = !inn;
  }
  return inn;
}

test('the district is real neighbourhood shapes and every facility lies inside its dong', async () => {
  const geo = await (await fetch(`${server.url}/api/v1/map/dongs`)).json();
  assert.equal(geo.features.length, 16);
  for (const f of geo.features) assert.ok(f.geometry.coordinates[0].length > 5, `${f.properties.name_ko} is not a square`);
  const rings = new Map(geo.features.map((f) => [f.properties.dong_id, f.geometry.coordinates[0]]));
  let checked = 0;
  for (let page = 1; page <= 3; page++) {
    const r = await (await fetch(`${server.url}/api/v1/facilities?page=${page}`)).json();
    for (const f of r.items) {
      assert.ok(inside(rings.get(f.dong_id), f.longitude, f.latitude), `${f.name} lies in its dong`);
      checked++;
    }
  }
  assert.ok(checked >= 30, `checked ${checked}`);
});

for (const size of ['sm', 'md', 'lg', 'xl']) {
  test(`/facilities and /map at 360 px, text size ${size}: dong shapes, labels that grow, nothing wider than the screen`, async () => {
    const { page, context, problems } = await atSize(size);
    await goto(page, `${server.url}/facilities`);
    const map = page.locator('.facility-map .point-map svg');
    await map.waitFor();
    assert.equal(await map.locator('.map-dong').count(), 16, 'the 16 dongs are drawn');
    assert.ok(await map.locator('.map-dong-label').count() >= 3, 'some dongs are named on the map');
    assert.ok(Math.abs((await labelRatio(page, '.map-dong-label')) - 1.3) < 0.05, 'labels are 1.3 rem');
    assert.equal(await page.locator('.map-grid').count(), 0, 'no grey grid');
    await expectNoOverflow(page, `facilities 360 ${size}`);
    await expectNoSerious(page, `facilities 360 ${size}`);
    await page.locator('.facility-map').screenshot({ path: `/tmp/maps-facilities-360-${size}.png` });

    await goto(page, `${server.url}/map`);
    const dm = page.locator('svg.dong-map');
    await dm.waitFor();
    assert.equal(await dm.locator('g.dong').count(), 16);
    assert.ok(Math.abs((await labelRatio(page, '.dong-label')) - 1.4) < 0.05, 'statistics map labels are 1.4 rem');
    await expectNoOverflow(page, `map 360 ${size}`);
    await expectNoSerious(page, `map 360 ${size}`);
    await page.locator('.map-figure').screenshot({ path: `/tmp/maps-stats-360-${size}.png` });
    assertClean(problems, `maps ${size}`);
    await context.close();
  });
}

test('distance from what the resident types, and 내 동네 shaded on the map', async () => {
  for (const width of [360, 1280]) {
    const { page, context, problems } = await atSize('xl', width);
    await goto(page, `${server.url}/facilities`);
    const form = page.locator('.near-form');
    // Nothing typed, then a place that is not a dong of the district: said plainly.
    await form.getByRole('button', { name: '가까운 순으로 보기' }).click();
    await form.getByText('동 이름이나 주소를 적어 주세요.').waitFor();
    await page.getByLabel('동 이름 또는 주소').fill('부산광역시 해운대구');
    await form.getByRole('button', { name: '가까운 순으로 보기' }).click();
    await form.getByText('이 구의 동 이름을 찾지 못했습니다.', { exact: false }).waitFor();
    // An address with a dong in it: sorted from that dong's centre, distances on every card.
    await page.getByLabel('동 이름 또는 주소').fill('한빛구 느티동 솔내로 12');
    await form.getByRole('button', { name: '가까운 순으로 보기' }).click();
    await page.waitForURL(/near=\d+/);
    await form.getByText('느티동 중심에서 가까운 순서입니다.').waitFor();
    const distances = page.locator('.facility-list [data-field=distance]');
    await distances.first().waitFor();
    // The sorted list replaces the one shown before (at most 15 s).
    const read = async () => (await distances.allTextContents()).map((s) => {
      const m = /([\d.]+) (k?m)/.exec(s);
      return Number(m[1]) * (m[2] === 'km' ? 1000 : 1);
    });
    const sorted = (xs) => xs.every((x, i) => i === 0 || x + 60 >= xs[i - 1]);
    let metres = await read();
    for (let i = 0; i < 30 && !sorted(metres); i++) { await page.waitForTimeout(500); metres = await read(); }
    assert.ok(metres.length >= 5);
    assert.ok(sorted(metres), `nearest first: ${metres.join(', ')}`);
    assert.ok(metres[0] < 1500, `the nearest is close to the dong's centre: ${metres[0]} m`);
    await page.locator('.map-origin').waitFor();
    await form.getByRole('button', { name: '이 동을 내 동네로 저장' }).click();
    await form.getByText('느티동을(를) 내 동네로 저장했습니다.', { exact: false }).waitFor();
    await page.locator('.map-dong.is-mine').waitFor();
    assert.equal(await page.locator('.map-dong.is-mine').count(), 1);
    await form.locator('[data-field=my-dong]', { hasText: '내 동네: 느티동' }).waitFor();
    if (width === 360) await expectNoOverflow(page, 'near 360 xl');
    await expectNoSerious(page, `near ${width}`);
    await page.screenshot({ path: `/tmp/maps-near-${width}.png`, fullPage: true });
    // The statistics map marks it too.
    await goto(page, `${server.url}/map`);
    await page.locator('svg.dong-map g.dong.is-mine').waitFor();
    assertClean(problems, `near ${width}`);
    await context.close();
  }
});
