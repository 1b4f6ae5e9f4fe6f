// Chart.js (bundled, registered piecemeal) behind a canvas with role="img" and an aria-label.
// Colours come from CSS custom properties so the charts follow the light and high-contrast
// modes; fonts follow the text-size setting. Every chart sits next to a table of the same
// numbers: the picture is an extra, never the only way to read them.
import { useEffect, useRef } from 'preact/hooks';
import {
  Chart, BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale,
  Tooltip, Legend, type ChartConfiguration,
} from 'chart.js';
import { useAppState } from '../store';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Tooltip, Legend);

export interface ChartSeries { label: string; data: (number | null)[]; dashed?: boolean }

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

export function ChartCanvas({ kind, labels, series, label, format, horizontal, height = 32, describedBy }: {
  kind: 'bar' | 'line'; labels: string[]; series: ChartSeries[]; label: string; format: (v: number) => string;
  horizontal?: boolean; height?: number; describedBy?: string;
}) {
  const s = useAppState();
  const canvas = useRef<HTMLCanvasElement>(null);
  const key = JSON.stringify([kind, labels, series, label, horizontal, s.lang, s.highContrast, s.textSize]);
  useEffect(() => {
    if (!canvas.current) return;
    const rootPx = parseFloat(getComputedStyle(document.documentElement).fontSize) || 10;
    const text = cssVar('--d-text', '#1e2124');
    const grid = cssVar('--d-border-light', '#d6d9dd');
    const colours = [cssVar('--d-chart-1', '#0b50d0'), cssVar('--d-chart-2', '#c25d00'), cssVar('--d-chart-3', '#228738')];
    const many = series.length > 1;
    const font = { size: Math.round(rootPx * 1.4), family: cssVar('--krds-font-family-base', 'sans-serif') };
    const config: ChartConfiguration = {
      type: kind,
      data: {
        labels,
        datasets: series.map((d, i) => ({
          label: d.label, data: d.data,
          backgroundColor: colours[i % colours.length], borderColor: colours[i % colours.length],
          borderWidth: kind === 'line' ? 3 : 0, borderDash: d.dashed ? [8, 5] : undefined,
          pointRadius: kind === 'line' ? 5 : undefined, pointStyle: i === 0 ? 'circle' : 'rectRot',
          spanGaps: true,
        })) as any,
      },
      options: {
        indexAxis: horizontal ? 'y' : 'x',
        responsive: true, maintainAspectRatio: false, animation: false,
        color: text,
        plugins: {
          legend: { display: many, labels: { color: text, usePointStyle: true, font } },
          tooltip: { callbacks: { label: (c: any) => `${c.dataset.label}: ${format(Number(c.parsed[horizontal ? 'x' : 'y']))}` } },
        },
        scales: {
          x: { ticks: { color: text, font, ...(horizontal ? { callback: (v: any) => format(Number(v)) } : {}) }, grid: { color: grid } },
          y: { ticks: { color: text, font, ...(!horizontal ? { callback: (v: any) => format(Number(v)) } : { autoSkip: false }) }, grid: { color: grid }, beginAtZero: kind === 'bar' },
        },
      } as any,
    };
    const chart = new Chart(canvas.current, config);
    return () => chart.destroy();
  }, [key]);
  return (
    <div class="chart-box" style={{ height: `${height}rem` }}>
      <canvas ref={canvas} role="img" aria-label={label} aria-describedby={describedBy} />
    </div>
  );
}
