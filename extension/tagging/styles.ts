// The tagger's look, inside its closed shadow root: the page's CSS cannot reach it and it
// reaches nothing of the page. Sizes are in px because the page may set any root font size.
export const CSS = `
:host { all: initial; }
* { box-sizing: border-box; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1c2430; }
.layer { position: fixed; inset: 0; pointer-events: none; }
.box { position: fixed; border: 2px solid #ff5a1f; background: rgba(255, 90, 31, 0.08); border-radius: 2px; display: none; }
.box.selected { border-style: solid; border-color: #7c3aed; background: rgba(124, 58, 237, 0.10); }
.badge { position: fixed; padding: 1px 6px; border-radius: 9px; background: #7c3aed; color: #fff; font-size: 11px; font-weight: 600; white-space: nowrap; }
.badge.draft { background: #d97706; }
.badge.markup { background: #0f766e; }
.panel { position: fixed; top: 12px; right: 12px; width: 320px; max-height: calc(100vh - 24px); overflow: auto; pointer-events: auto;
  background: #fff; border: 1px solid #cfd6e0; border-radius: 8px; box-shadow: 0 6px 24px rgba(0,0,0,.18); padding: 12px; }
.panel.left { right: auto; left: 12px; }
.bar { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin-bottom: 8px; }
.bar p { margin: 0; flex: 1 1 100%; }
h2 { margin: 4px 0 8px; font-size: 14px; font-weight: 700; }
label { display: block; margin: 8px 0 2px; font-weight: 600; }
input { width: 100%; padding: 5px 7px; border: 1px solid #aab4c3; border-radius: 4px; background: #fff; }
code { display: block; padding: 4px 6px; background: #f2f4f7; border-radius: 4px; font: 12px ui-monospace, monospace; word-break: break-all; }
button { cursor: pointer; padding: 5px 10px; border: 1px solid #aab4c3; border-radius: 4px; background: #f7f8fa; }
button.primary { background: #7c3aed; border-color: #7c3aed; color: #fff; }
button.chip { padding: 2px 8px; border-radius: 10px; font-size: 12px; margin: 4px 4px 0 0; }
.actions { display: flex; gap: 8px; margin-top: 10px; }
.status { margin: 8px 0 0; }
.status.error { color: #b42318; }
.preview { margin: 4px 0 0; padding-left: 18px; max-height: 120px; overflow: auto; }
.muted { color: #5b6678; }
.form-intent { border-bottom: 1px solid #cfd6e0; padding-bottom: 10px; margin-bottom: 8px; }
.form-intent fieldset { border: 0; padding: 0; margin: 8px 0 0; }
.form-intent legend { font-weight: 600; padding: 0; }
.form-intent label.choice { font-weight: 400; margin: 4px 0; }
.form-intent label.choice input { width: auto; margin-right: 6px; }
.form-intent select { padding: 4px 6px; border: 1px solid #aab4c3; border-radius: 4px; background: #fff; }
`;
