/** The dashboard's styles: tones ok (green), warn (amber), down (red), unknown (grey). */
export const DASHBOARD_STYLES = String.raw`
:root {
  --bg: #f3f5f9;
  --card: #ffffff;
  --text: #1b2233;
  --muted: #687189;
  --line: #dde2eb;
  --ok: #1c9a55;
  --ok-soft: #e7f6ed;
  --warn: #c98000;
  --warn-soft: #fff3dc;
  --down: #d23f3f;
  --down-soft: #fdeaea;
  --unknown: #8891a5;
  --unknown-soft: #eef0f5;
  --accent: #3b5bdb;
  --radius: 10px;
  font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif;
  font-size: 14px;
  color: var(--text);
  background: var(--bg);
}
* { box-sizing: border-box; }
body { margin: 0; }
[hidden] { display: none !important; }
h1, h2, h3 { margin: 0; font-weight: 600; }
.muted { color: var(--muted); }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--unknown-soft); padding: 1px 5px; border-radius: 4px; }

.topbar { display: flex; align-items: center; gap: 16px; padding: 12px 24px; background: #141b2d; color: #f1f4fa; position: sticky; top: 0; z-index: 1; }
.brand { display: flex; align-items: center; gap: 10px; font-weight: 600; font-size: 16px; }
.brand-mark { width: 18px; height: 18px; border-radius: 5px; background: linear-gradient(135deg, #4dabf7, #3b5bdb); }
.topbar-right { margin-left: auto; display: flex; align-items: center; gap: 14px; }
.updated { color: #aab3c8; font-size: 13px; }
button { font: inherit; cursor: pointer; border-radius: 7px; border: 1px solid transparent; padding: 8px 14px; background: var(--accent); color: #fff; font-weight: 600; }
button.ghost { background: transparent; border-color: #3a4560; color: #d5dbea; padding: 5px 12px; font-weight: 500; }
button:hover { filter: brightness(1.08); }

.pill { padding: 3px 12px; border-radius: 999px; font-weight: 600; font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; }
.pill.tone-ok { background: var(--ok); color: #fff; }
.pill.tone-warn { background: var(--warn); color: #fff; }
.pill.tone-down { background: var(--down); color: #fff; }
.pill.tone-unknown { background: var(--unknown); color: #fff; }

main { padding: 20px 24px 40px; max-width: 1500px; margin: 0 auto; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: var(--radius); box-shadow: 0 1px 2px rgba(20, 27, 45, 0.04); }
.banner { background: var(--warn-soft); border: 1px solid #f0d08a; color: #6b4800; padding: 10px 14px; border-radius: var(--radius); margin-bottom: 16px; }

.login { max-width: 460px; margin: 60px auto; padding: 28px; }
.login h1 { font-size: 20px; margin-bottom: 8px; }
.login p { color: var(--muted); line-height: 1.5; }
.login form { display: flex; flex-direction: column; gap: 8px; margin-top: 16px; }
.login label { font-weight: 600; font-size: 13px; }
.login input { font: inherit; padding: 9px 11px; border: 1px solid var(--line); border-radius: 7px; }
.login input:focus { outline: 2px solid #b6c6ff; border-color: var(--accent); }
.error { color: var(--down) !important; font-weight: 500; }
.hint { font-size: 13px; }

.summary { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 12px; margin-bottom: 22px; }
.stat { padding: 12px 14px; border-left: 4px solid var(--unknown); }
.stat.tone-ok { border-left-color: var(--ok); }
.stat.tone-warn { border-left-color: var(--warn); }
.stat.tone-down { border-left-color: var(--down); }
.stat.tone-neutral { border-left-color: var(--accent); }
.stat-label { font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: 0.05em; }
.stat-value { font-size: 20px; font-weight: 650; margin-top: 4px; }
.stat-note { font-size: 12px; color: var(--muted); margin-top: 2px; }

.section-title { font-size: 15px; margin: 4px 0 12px; }
.groups { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: 16px; align-items: start; }
.group { padding: 14px 16px 16px; border-top: 5px solid var(--unknown); }
.group.tone-ok { border-top-color: var(--ok); }
.group.tone-warn { border-top-color: var(--warn); }
.group.tone-down { border-top-color: var(--down); background: linear-gradient(var(--down-soft), var(--card) 120px); }
.group-head { display: flex; justify-content: space-between; align-items: flex-start; gap: 8px; }
.group-head h3 { font-size: 17px; }
.group-head .muted { font-size: 12px; margin-top: 2px; }
.badges { display: flex; gap: 6px; flex-wrap: wrap; justify-content: flex-end; }
.badge { font-size: 12px; padding: 2px 9px; border-radius: 999px; background: var(--unknown-soft); color: #39415a; font-weight: 600; white-space: nowrap; }
.badge-warn { background: var(--warn-soft); color: #7a4d00; }
.group-line { display: flex; align-items: center; gap: 6px; margin: 10px 0 14px; font-size: 13px; flex-wrap: wrap; }
.group .group-line .dot { width: 9px; height: 9px; }

.dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%; background: var(--unknown); flex: none; }
.tone-ok > .dot, .tone-ok .group-line .dot, .node.tone-ok .dot { background: var(--ok); }
.tone-warn .group-line .dot, .node.tone-warn .dot { background: var(--warn); }
.tone-down .group-line .dot, .node.tone-down .dot { background: var(--down); box-shadow: 0 0 0 3px rgba(210, 63, 63, 0.18); }
.group.tone-ok .group-line .dot { background: var(--ok); }

.tree { display: flex; flex-direction: column; align-items: center; }
.tier { display: flex; justify-content: center; width: 100%; }
.tier-replicas { gap: 12px; padding-top: 22px; position: relative; }
.tier-replicas::before { content: ''; position: absolute; top: 0; left: 50%; height: 11px; border-left: 2px solid var(--line); }
.slot { position: relative; flex: 1 1 0; max-width: 250px; min-width: 0; display: flex; justify-content: center; }
.slot::before { content: ''; position: absolute; top: -11px; left: 50%; height: 11px; border-left: 2px solid var(--line); }
.slot::after { content: ''; position: absolute; top: -11px; left: -6px; right: -6px; border-top: 2px solid var(--line); }
.slot:first-child::after { left: 50%; }
.slot:last-child::after { right: 50%; }
.slot:only-child::after { display: none; }

.node { width: 100%; max-width: 250px; border: 1px solid var(--line); border-left: 5px solid var(--unknown); border-radius: 9px; padding: 9px 11px; background: var(--unknown-soft); }
.node-primary { max-width: 280px; }
.node.tone-ok { border-left-color: var(--ok); background: var(--ok-soft); }
.node.tone-warn { border-left-color: var(--warn); background: var(--warn-soft); }
.node.tone-down { border-left-color: var(--down); background: var(--down-soft); border-color: #f3b9b9; }
.node[data-fenced='true'] { background-image: repeating-linear-gradient(135deg, transparent 0 9px, rgba(27, 34, 51, 0.05) 9px 18px); }
.node-missing { text-align: center; color: var(--down); border-left-color: var(--down); background: var(--down-soft); font-weight: 600; }
.node-head { display: flex; align-items: center; gap: 7px; }
.node-id { font-weight: 650; font-size: 13px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.chips { display: flex; gap: 4px; flex-wrap: wrap; margin: 6px 0 7px; }
.chip { font-size: 10.5px; font-weight: 700; text-transform: uppercase; letter-spacing: 0.05em; padding: 1px 7px; border-radius: 4px; background: #e3e7ef; color: #4a536b; }
.chip-primary { background: #1b2233; color: #fff; }
.chip-fenced { background: #5d2a2a; color: #fff; }
.chip-warn { background: #f5d38a; color: #5b3b00; }
.stats { display: grid; grid-template-columns: auto 1fr; gap: 2px 10px; margin: 0; font-size: 12px; }
.stats dt { color: var(--muted); }
.stats dd { margin: 0; font-variant-numeric: tabular-nums; text-align: right; white-space: nowrap; }
.node-server { font-size: 11px; margin-top: 5px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.node-note { margin-top: 6px; font-size: 11.5px; line-height: 1.35; color: #5b3b00; overflow-wrap: anywhere; }
.node.tone-down .node-note { color: #8c1f1f; }

.lower { display: grid; grid-template-columns: 1fr; gap: 16px; margin-top: 22px; align-items: start; }
@media (min-width: 1700px) { .lower { grid-template-columns: minmax(420px, 2fr) minmax(820px, 3fr); } }
@media (max-width: 900px) { .groups { grid-template-columns: 1fr; } }
.lower > .card { padding: 14px 16px; }
.lower h2 { font-size: 15px; margin-bottom: 10px; display: flex; align-items: center; gap: 8px; }
.count { font-size: 12px; background: var(--unknown-soft); border-radius: 999px; padding: 1px 8px; color: #39415a; }
.alerts { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 8px; }
.alert { display: grid; grid-template-columns: 72px 1fr auto; gap: 10px; align-items: start; padding: 8px 10px; border-radius: 8px; background: var(--unknown-soft); }
.sev { font-size: 10.5px; font-weight: 700; text-transform: uppercase; text-align: center; padding: 2px 0; border-radius: 4px; color: #fff; background: var(--unknown); }
.sev-critical .sev { background: var(--down); }
.sev-high .sev { background: #e8590c; }
.sev-medium .sev { background: var(--warn); }
.sev-low .sev { background: #5c7cfa; }
.alert-type { font-weight: 600; font-size: 12.5px; }
.alert-message { font-size: 12.5px; color: #3d4560; margin-top: 2px; overflow-wrap: anywhere; }
.alert-age { font-size: 12px; white-space: nowrap; }
.empty { color: var(--muted); padding: 6px 2px; }
.table-wrap { overflow-x: auto; }
.failovers { width: 100%; border-collapse: collapse; font-size: 12.5px; }
.failovers th { text-align: left; color: var(--muted); font-weight: 600; font-size: 11.5px; text-transform: uppercase; letter-spacing: 0.04em; padding: 6px 8px; border-bottom: 1px solid var(--line); white-space: nowrap; }
.failovers td { padding: 7px 8px; border-bottom: 1px solid #eef1f6; white-space: nowrap; font-variant-numeric: tabular-nums; }
.outcome { font-weight: 700; font-size: 11px; text-transform: uppercase; padding: 2px 8px; border-radius: 4px; }
.outcome-completed { background: var(--ok-soft); color: #11693a; }
.outcome-failed { background: var(--down-soft); color: #8c1f1f; }
.outcome-skipped { background: var(--unknown-soft); color: #4a536b; }
`;
