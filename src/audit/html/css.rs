//! The page's stylesheet.

/// Inline, so the file stands alone. System fonts only: nothing is fetched.
pub(crate) const STYLE: &str = r#"
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #eef1f5; color: #1b2330;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    "Liberation Sans", "DejaVu Sans", sans-serif; }
.page { max-width: 1220px; margin: 0 auto; padding: 22px 24px 40px; }
.page-header { display: flex; flex-wrap: wrap; justify-content: space-between;
  align-items: baseline; gap: 4px 24px; border-bottom: 3px solid #1f3a5f;
  padding-bottom: 10px; margin-bottom: 18px; }
h1 { font-size: 24px; margin: 0; color: #1f3a5f; }
.page-header p { margin: 0; color: #4a5565; }
nav.toc ul { list-style: none; display: flex; flex-wrap: wrap; gap: 8px 18px; padding: 0;
  margin: 0 0 18px; }
section.profile { background: #fff; border: 1px solid #d3d9e0; border-radius: 6px;
  padding: 22px 28px 28px; margin-bottom: 28px; }
h2 { font-size: 24px; margin: 0; color: #1b2330; }
h2 .eyebrow { display: block; font-size: 12px; font-weight: 600; letter-spacing: .08em;
  text-transform: uppercase; color: #5b6676; }
h3 { font-size: 17px; color: #1f3a5f; margin: 30px 0 10px; padding-bottom: 5px;
  border-bottom: 1px solid #d3d9e0; }
dl.meta { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 8px 24px;
  margin: 14px 0 0; }
dl.meta div { min-width: 0; }
dl.meta dt { font-size: 12px; font-weight: 600; color: #5b6676; }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
code { font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas,
  monospace; font-size: 12.5px; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(190px, 1fr));
  gap: 12px; margin: 18px 0 0; }
.tile { margin: 0; border: 1px solid #d3d9e0; border-left: 4px solid #2a5b8c;
  border-radius: 4px; padding: 8px 12px; }
.tile .n { display: block; font-size: 22px; font-weight: 700; line-height: 1.2; }
.tile .l { font-size: 12.5px; color: #4a5565; }
figure { margin: 0; }
figure.chart svg { display: block; width: 100%; height: auto; }
figure.overall svg { max-width: 1120px; }
svg.bars text { fill: #1b2330; }
svg.bars .k { fill: #5b6676; }
svg.bars .name { font-size: 13px; }
svg.bars .dom { font-size: 13.5px; font-weight: 700; fill: #1f3a5f; }
svg.bars .tick { font-weight: 700; }
svg.bars .tickname { font-size: 11px; fill: #5b6676; }
.domain-charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr));
  gap: 16px; }
.domain-charts figure { border: 1px solid #d3d9e0; border-radius: 4px; padding: 10px 12px; }
figcaption { font-weight: 700; color: #1f3a5f; margin-bottom: 6px; }
figcaption .rollup { display: block; font-weight: 400; color: #4a5565; font-size: 13px; }
.rationale { display: block; margin-top: 2px; font-size: 12px; color: #4a5565; }
table { width: 100%; border-collapse: collapse; font-size: 13px; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px;
  border-bottom: 1px solid #e2e6eb; }
thead th { background: #eef2f7; border-bottom: 2px solid #b9c3d0; font-weight: 600;
  vertical-align: bottom; }
tbody th { font-weight: 400; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.center { text-align: center; }
.nowrap { white-space: nowrap; }
.wrap { overflow-wrap: break-word; }
.id { display: block; font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", monospace;
  font-size: 11px; color: #5b6676; }
.kind { font-size: 11px; font-weight: 600; letter-spacing: .05em; text-transform: uppercase;
  color: #5b6676; }
table.gaps th.name { width: 34%; }
table.gaps tr.domain > * { background: #e3ebf5; font-weight: 700; border-top: 2px solid #b9c3d0; }
table.gaps tr.subdomain > * { background: #f5f7fa; font-weight: 600; }
table.gaps tr.subdomain th { padding-left: 18px; }
table.gaps tr.practice th { padding-left: 32px; }
table.findings td.num { width: 8em; }
table.gaps td.short { color: #9b1c1c; font-weight: 700; }
td.zero { color: #8a94a3; }
td.err { color: #9b1c1c; font-weight: 700; }
td.wrn { color: #7a4b00; font-weight: 700; }
td.inf { font-weight: 700; }
tfoot th, tfoot td { font-weight: 700; border-top: 2px solid #b9c3d0; }
.badge { display: inline-block; padding: 0 7px; border: 1px solid; border-radius: 10px;
  font-size: 12px; font-weight: 600; white-space: nowrap; }
/* A long gap ("scope general, needs industry") wraps rather than widening the table. */
table.gaps .badge { white-space: normal; border-radius: 6px; }
.badge.good { color: #1d6b39; border-color: #8cc6a0; background: #e8f5ec; }
.badge.bad { color: #9b1c1c; border-color: #e2a0a0; background: #fdecec; }
.badge.warn { color: #7a4b00; border-color: #e3c173; background: #fff5db; }
.badge.info { color: #23527f; border-color: #a7bfd9; background: #edf3fa; }
.badge.muted { color: #4a5565; border-color: #c4cbd5; background: #f3f5f8; }
table.indicators { margin: 8px 0; }
table.indicators caption { text-align: left; font-weight: 600; padding: 4px 0; }
table.indicators .where { color: #5b6676; font-size: 12px; }
table.evidence { font-size: 12px; }
table.evidence th, table.evidence td { padding: 4px 5px; }
table.evidence code { font-size: 11.5px; }
.note { color: #4a5565; }
article.practice { border-top: 1px solid #d3d9e0; padding: 6px 0 10px; break-inside: auto; }
article.practice h4 { font-size: 15px; margin: 10px 0 6px; }
dl.practice-meta { display: grid; grid-template-columns: 12em 1fr; gap: 2px 12px; margin: 0 0 8px; }
dl.practice-meta div { display: contents; }
dl.practice-meta dt { font-weight: 600; color: #5b6676; }
dl.practice-meta dd { margin: 0; overflow-wrap: anywhere; }
.action { color: #4a5565; }
.narrative { border-left: 3px solid #d3d9e0; padding: 0 12px; margin: 8px 0; overflow-wrap: anywhere; }
.narrative h4, .narrative h5, .narrative h6 { font-size: 14px; margin: 10px 0 4px; }
code.raw-html { color: #7a3508; }
.page-footer { color: #4a5565; font-size: 12.5px; }
@page { size: A4; margin: 15mm; }
@page wide { size: A4 landscape; margin: 15mm; }
@media print {
  body { background: none; color: #000; font-size: 9.5pt; }
  .page { max-width: none; padding: 0; }
  nav.toc { display: none; }
  .tiles { grid-template-columns: repeat(5, minmax(0, 1fr)); gap: 8px; margin-top: 12px; }
  .tile { padding: 4px 8px; }
  .tile .n { font-size: 14pt; }
  .page-header { margin-bottom: 10px; }
  h1 { font-size: 18pt; }
  h3 { margin: 16px 0 6px; }
  dl.meta { gap: 4px 16px; margin-top: 8px; }
  table.gaps th.name { width: 40%; }
  .evidence-index { page: wide; }
  table.evidence td:first-child { white-space: nowrap; }
  section.profile { border: 0; border-radius: 0; padding: 0; margin: 0; }
  section.profile + section.profile { break-before: page; }
  thead th, table.gaps tr.domain > *, table.gaps tr.subdomain > *, .badge { background: none; }
  .badge { border-color: currentColor; }
  table { font-size: 8.5pt; }
  th, td { padding: 3px 4px; }
  .id { font-size: 6.5pt; }
  table.evidence, table.evidence code { font-size: 7pt; }
  thead { display: table-header-group; }
  tr, figure, svg, .tile, dl.meta div { break-inside: avoid; page-break-inside: avoid; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  figure.chart svg { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
}
"#;
