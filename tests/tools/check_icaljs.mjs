// check_icaljs.mjs: the calendars of a run read by ical.js (Thunderbird's library), compared with meetings.csv.
//
// Optional (needs Node and `npm install ical.js@1`; not part of CTest): ical.js
// is the reader that once skipped the first meeting of every pair, so this
// expands every series of every file (meetings.ics, invites/, calendars/)
// with its own VTIMEZONE, overrides related to their master, and checks that
// occurrence n starts and ends as meetings.csv's row n says, that the series
// ends with the last listed occurrence, and that checkpoints and in-person
// meetings carry their own SUMMARY.
// Usage: NODE_PATH=DIR/node_modules node check_icaljs.mjs OUTDIR
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const ICAL = require("ical.js");
const outdir = process.argv[2];

function csvRows(file) {
  const [head, ...lines] = fs.readFileSync(file, "utf8").trim().split("\n");
  const cols = head.split(",");
  return lines.map((l) => Object.fromEntries(l.split(",").map((v, i) => [cols[i], v])));
}

const plain = (id) => (id.length > 1 && id[0] === "'" && "=+-@\t\r".includes(id[1]) ? id.slice(1) : id);
const rows = new Map();
for (const r of csvRows(path.join(outdir, "meetings.csv"))) {
  const key = `${plain(r.mentee_id)}|${plain(r.mentor_id)}`;
  if (!rows.has(key)) rows.set(key, []);
  rows.get(key).push(r);
}

const files = ["meetings.ics"];
for (const sub of ["invites", "calendars"])
  for (const f of fs.readdirSync(path.join(outdir, sub)).sort()) files.push(`${sub}/${f}`);

let problems = 0, occurrences = 0;
const fail = (msg) => { problems++; if (problems <= 20) console.error(`check_icaljs: ${msg}`); };
for (const name of files) {
  const cal = new ICAL.Component(ICAL.parse(fs.readFileSync(path.join(outdir, name), "utf8")));
  for (const vtz of cal.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(vtz);
  const events = cal.getAllSubcomponents("vevent");
  const masters = events.filter((e) => !e.hasProperty("recurrence-id"));
  for (const m of masters) {
    // Without options ical.js relates every override in the calendar to every
    // event, whatever its UID; clients split a calendar by UID first.
    const uid = m.getFirstPropertyValue("uid");
    const ev = new ICAL.Event(m, {
      strictExceptions: true,
      exceptions: events.filter((o) => o.hasProperty("recurrence-id") && o.getFirstPropertyValue("uid") === uid),
    });
    const key = `${m.getFirstPropertyValue("x-mentormatch-mentee")}|${m.getFirstPropertyValue("x-mentormatch-mentor")}`;
    const want = rows.get(key);
    if (!want) { fail(`${name}: ${key} not in meetings.csv`); continue; }
    const got = [];
    const it = ev.iterator();
    for (let next = it.next(); next && got.length < 1000; next = it.next()) {
      const d = ev.getOccurrenceDetails(next);
      got.push({ start: d.startDate.toUnixTime(), end: d.endDate.toUnixTime(), summary: d.item.summary });
    }
    const last = Math.max(...want.map((r) => Number(r.occurrence)));
    if (got.length !== last) fail(`${name}: ${key}: ${got.length} occurrences, expected ${last}`);
    for (const r of want) {
      const g = got[Number(r.occurrence) - 1];
      const start = Date.parse(r.start_utc) / 1000, end = Date.parse(r.end_utc) / 1000;
      if (!g || g.start !== start || g.end !== end)
        fail(`${name}: ${key}: occurrence ${r.occurrence} is ${g && new Date(g.start * 1000).toISOString()}, meetings.csv ${r.start_utc}`);
      else if ((r.kind === "checkpoint") !== g.summary.includes("checkpoint") ||
               (r.format === "in-person") !== g.summary.includes("in person"))
        fail(`${name}: ${key}: occurrence ${r.occurrence} (${r.kind}, ${r.format}) has SUMMARY ${g.summary}`);
    }
    occurrences += got.length;
  }
}
if (problems) process.exit(1);
console.log(`check_icaljs: ${files.length} files, ${occurrences} occurrences expanded by ical.js agree with meetings.csv`);
