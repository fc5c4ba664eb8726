#!/usr/bin/python3
"""Checks a report.html as a browser rendered it (the DOM Chromium dumped).

Usage: check_report.py DOM.html OUTDIR [SEARCH]
Compares what the page shows with the run's files in OUTDIR: the summary
cards with summary.json, the charts' bars with the pairs and people they
count, the reason groups with unmatched.csv, the table's counts with
pairings.csv (and, with SEARCH, with the pairs a search for it must find).
Fails when the page's self-check did not finish or saw a script error.
"""
import csv
import json
import sys
from html.parser import HTMLParser


class Dom(HTMLParser):
    """Collects attributes by id, text by id, and elements by chart."""

    def __init__(self):
        super().__init__()
        self.attrs, self.text, self.stack = {}, {}, []
        self.chart_counts, self.chart = {}, None
        self.matrix, self.in_matrix = [], False
        self.reason_cells = {"mentees": 0, "mentors": 0, "pairs": 0}
        self.body_rows, self.in_body = 0, False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.attrs[a["id"]] = a
            self.stack.append(a["id"])
        else:
            self.stack.append(None)
        if tag == "svg" and "data-chart" in a:
            self.chart = a["data-chart"]
            self.chart_counts[self.chart] = []
        if tag == "rect" and self.chart and "data-count" in a:
            self.chart_counts[self.chart].append(int(a["data-count"]))
        if a.get("id") == "location-matrix":
            self.in_matrix = True
        if tag == "td" and self.in_matrix and "data-count" in a:
            self.matrix.append(int(a["data-count"]))
        for key in self.reason_cells:
            if f"data-{key}" in a:
                self.reason_cells[key] += int(a[f"data-{key}"])
        if a.get("id") == "pairs-body":
            self.in_body = True
        if tag == "tr" and self.in_body:
            self.body_rows += 1

    def handle_endtag(self, tag):
        if tag == "svg":
            self.chart = None
        if tag == "table":
            self.in_matrix = False
        if tag == "tbody":
            self.in_body = False
        if self.stack and tag not in ("rect", "line", "text", "title"):
            self.stack.pop()

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_data(self, data):
        for ident in self.stack:
            if ident:
                self.text[ident] = self.text.get(ident, "") + data


def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def main(argv):
    dom_path, out = argv[1], argv[2]
    search = argv[3] if len(argv) > 3 else ""
    dom = Dom()
    with open(dom_path, encoding="utf-8") as f:
        dom.feed(f.read())
    summary = json.load(open(f"{out}/summary.json", encoding="utf-8"))
    pairs, left = rows(f"{out}/pairings.csv"), rows(f"{out}/unmatched.csv")
    problems = []

    def expect(what, got, want):
        if got != want:
            problems.append(f"{what}: page shows {got!r}, expected {want!r}")

    check = dom.attrs.get("mm-selfcheck", {})
    expect("self-check status", check.get("data-status"), "ok")
    expect("script errors", check.get("data-errors"), "0")
    expect("error banner", dom.text.get("mm-errors", "").strip(), "")
    expect("pairs embedded", check.get("data-pairs"), str(len(pairs)))
    number = lambda ident: int(dom.text.get(ident, "-1").replace(",", ""))
    expect("mentees card", number("count-mentees"), summary["mentees"])
    expect("mentors card", number("count-mentors"), summary["mentors"])
    expect("pairs card", number("count-matched"), summary["matched"])
    expect("mentees left out card", number("count-unmatched-mentees"), summary["unmatched_mentees"])
    expect("mentors without a mentee card", number("count-unmatched-mentors"), summary["mentors_without_mentee"])
    expect("total score card", dom.text.get("total-score"), f'{summary["total_score"]:.4f}')
    charts = dom.chart_counts
    expect("score histogram total", sum(charts.get("scores", [-1])), len(pairs))
    expect("mentor load: mentors", sum(charts.get("load", [-1])), summary["mentors"])
    load = charts.get("load", [])
    expect("mentor load: pairs", sum(k * n for k, n in enumerate(load)), len(pairs))
    expect("mentor load: mentors with none", load[0] if load else -1, summary["mentors_without_mentee"])
    scheduled = sum(1 for p in pairs if p["first_meeting_utc"])
    expect("time-zone spread total", sum(charts.get("zones", [-1])), scheduled)
    expect("people by zone total", sum(charts.get("people-by-zone", [-1])), summary["mentees"] + summary["mentors"])
    expect("location matrix total", sum(dom.matrix), len(pairs))
    expect("reasons: mentees", dom.reason_cells["mentees"], sum(1 for l in left if l["role"] == "mentee"))
    expect("reasons: mentors", dom.reason_cells["mentors"], sum(1 for l in left if l["role"] == "mentor"))
    count = dom.attrs.get("table-count", {})
    if search:
        s = search.lower()
        want = sum(1 for p in pairs if any(s in p[k].lower() for k in
                   ("mentee_id", "mentor_id", "mentee_name", "mentor_name", "mentee_timezone", "mentor_timezone")))
        if want == 0 or want == len(pairs):
            problems.append(f"search {search!r} should match some pairs but not all ({want})")
    else:
        want = len(pairs)
    expect("table: matching pairs", count.get("data-matching"), str(want))
    expect("table: rows on the page", count.get("data-shown"), str(min(50, want)))
    expect("table: rows in the document", dom.body_rows, min(50, want))
    for p in problems:
        print("report:", p)
    print(f"report: {len(problems)} problem(s); {len(pairs)} pairs, render {check.get('data-render-ms')} ms")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
