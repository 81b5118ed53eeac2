// GET /o/<org>/incidents/<identifier>: the HTML page every card title links to.
import { activityText } from '../card/activity-text.ts';
import type { IncidentCard } from '../card/model.ts';
import type { Activity } from '../lifecycle/activity.ts';

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);

export function incidentPage(card: IncidentCard, activity: readonly Activity[] = []): string {
  const color = `#${card.color.toString(16).padStart(6, '0')}`;
  const rows = card.fields
    .map((field) => `<tr><th>${escapeHtml(field.label)}</th><td>${escapeHtml(field.value)}</td></tr>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(card.title)} · #${card.identifier}</title>
<style>body{font:16px system-ui,sans-serif;margin:2rem auto;max-width:46rem;padding:0 1rem}
.card{border-left:6px solid ${color};padding:.5rem 1rem;background:#f7f7f9}
th{text-align:left;padding-right:1rem;vertical-align:top}img{max-width:100%;height:auto;display:block}small{color:#666}</style></head>
<body><div class="card"><h1>${escapeHtml(card.title)}</h1>
<p><strong>${escapeHtml(card.statusText)}</strong></p>
${card.chartUrl ? `<img src="${escapeHtml(card.chartUrl)}" width="600" height="200" alt="${escapeHtml(card.rule.aggregate)} over the incident, with its thresholds">` : ''}
<table>${rows}</table>
<p><small>Incident #${card.identifier} · ${escapeHtml(card.organizationId)} · rule query
<code>${escapeHtml(card.rule.query || '(none)')}</code> · computed ${escapeHtml(card.updatedAt)}</small></p></div>
${timeline(activity)}</body></html>`;
}

/** The activity log, oldest first: what happened, who did it (platform and user id), from which card. */
function timeline(activity: readonly Activity[]): string {
  if (activity.length === 0) return '';
  const rows = activity.map((entry) => {
    const who = entry.by
      ? `${escapeHtml(entry.by.name)} <small>(${escapeHtml(entry.by.platform)} ${escapeHtml(entry.by.userId)})</small>`
      : '<small>alert rule</small>';
    const what = escapeHtml(activityText({ ...entry, by: null }));
    const value =
      entry.value !== undefined && entry.value !== null ? ` <small>value ${entry.value}</small>` : '';
    const card = entry.card ? ` <small>from ${escapeHtml(entry.card)}</small>` : '';
    return `<li><time datetime="${escapeHtml(entry.date)}">${escapeHtml(entry.date)}</time> · ${what}${value} · ${who}${card}</li>`;
  });
  return `<section class="timeline"><h2>Timeline</h2><ol>\n${rows.join('\n')}\n</ol></section>`;
}

export function notFoundPage(organizationId: string, identifier: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Incident not found</title></head>
<body><h1>Incident not found</h1><p>No incident ${escapeHtml(identifier)} in ${escapeHtml(organizationId)}.</p></body></html>`;
}
