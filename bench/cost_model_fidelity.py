#!/usr/bin/python3
"""Fidelity of the analytical cost model against measured latencies.

  /usr/bin/python3 bench/cost_model_fidelity.py TUNING.db [--target h100]
      [--threshold 0.05] [--json] [--export-csv OUT.csv]
  /usr/bin/python3 bench/cost_model_fidelity.py EXPORT.csv ...

Reads the tuning database that lib/CostModel/TuningDatabase.cpp writes
(SQLite, table `tuning`, schema version 1: signature, target, config,
predicted_s, measured_s, runs, updated) or a CSV export of it (same columns,
with a header; `--export-csv` writes one). Over the rows that have both a
predicted and a measured latency, per group (signature, target) and
overall, it computes:

- Spearman rank correlation between predicted and measured latency (ties
  get average ranks; n/a with fewer than two rows or constant ranks);
- MAPE, the mean of |predicted - measured| / measured, in percent;
- top-1 regret: the measured latency of the configuration the model ranks
  first, over the best measured latency, minus one; the group is a top-1
  hit when the regret is at most --threshold (5%).

The overall row pools all rows for Spearman and MAPE (each group's
latencies differ in scale, so the pooled Spearman is optimistic; the mean of
the per-group values is printed too), averages the regret over groups and
counts hits.

Measured latencies come from timing compiled candidates on a GPU (the
tuner's measured mode); without a GPU, make a synthetic database with
bench/make_synthetic_tuning_db.py to try the script.
"""
import argparse
import csv
import json
import math
import os
import sqlite3
import sys

import numpy as np

SCHEMA_VERSION = 1
COLUMNS = ["signature", "target", "config", "predicted_s", "measured_s",
           "runs", "updated"]


class InputError(Exception):
    pass


def rankdata(values):
    """Ranks 1..n of `values`, ties sharing their average rank."""
    values = np.asarray(values, dtype=float)
    order = np.argsort(values, kind="mergesort")
    ranks = np.empty(len(values), dtype=float)
    sorted_values = values[order]
    i = 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and sorted_values[j + 1] == sorted_values[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2.0 + 1.0
        i = j + 1
    return ranks


def spearman(x, y):
    """Spearman's rho (Pearson correlation of the ranks), or None."""
    if len(x) != len(y):
        raise ValueError("spearman: lengths differ")
    if len(x) < 2:
        return None
    rx, ry = rankdata(x), rankdata(y)
    dx, dy = rx - rx.mean(), ry - ry.mean()
    denominator = math.sqrt(float(np.sum(dx * dx)) * float(np.sum(dy * dy)))
    if denominator == 0.0:
        return None
    return float(np.sum(dx * dy)) / denominator


def mape(predicted, measured):
    predicted = np.asarray(predicted, dtype=float)
    measured = np.asarray(measured, dtype=float)
    return float(np.mean(np.abs(predicted - measured) / measured)) * 100.0


def top1_regret(configs, predicted, measured):
    """(config ranked first by the model, its regret)."""
    first = min(range(len(configs)), key=lambda i: (predicted[i], configs[i]))
    return configs[first], measured[first] / min(measured) - 1.0


def read_sqlite(path):
    try:
        connection = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA_VERSION:
            raise InputError("%s: schema version %d, expected %d" %
                             (path, version, SCHEMA_VERSION))
        rows = connection.execute(
            "SELECT %s FROM tuning ORDER BY signature, target, config" %
            ", ".join(COLUMNS)).fetchall()
        connection.close()
    except sqlite3.Error as error:
        raise InputError("%s: %s" % (path, error))
    return [dict(zip(COLUMNS, row)) for row in rows]


def read_csv(path):
    def number(text):
        return float(text) if text not in ("", None) else None

    rows = []
    try:
        with open(path, newline="") as stream:
            reader = csv.DictReader(stream)
            missing = [c for c in COLUMNS[:5] if c not in (reader.fieldnames or [])]
            if missing:
                raise InputError("%s: missing columns %s" %
                                 (path, ", ".join(missing)))
            for line in reader:
                rows.append({
                    "signature": line["signature"], "target": line["target"],
                    "config": line["config"],
                    "predicted_s": number(line["predicted_s"]),
                    "measured_s": number(line["measured_s"]),
                    "runs": int(line.get("runs") or 0),
                    "updated": int(line.get("updated") or 0)})
    except (OSError, ValueError) as error:
        raise InputError("%s: %s" % (path, error))
    return rows


def read_rows(path):
    if not os.path.exists(path):
        raise InputError("%s: no such file" % path)
    with open(path, "rb") as stream:
        header = stream.read(16)
    if header.startswith(b"SQLite format 3"):
        return read_sqlite(path)
    return read_csv(path)


def write_csv(rows, path):
    with open(path, "w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow(["" if row[c] is None else
                             (repr(row[c]) if isinstance(row[c], float)
                              else row[c]) for c in COLUMNS])


def analyse(rows, threshold):
    groups = {}
    for row in rows:
        if row["predicted_s"] is None or row["measured_s"] is None:
            continue
        if row["measured_s"] <= 0:
            continue
        groups.setdefault((row["signature"], row["target"]), []).append(row)
    result = {"groups": [], "overall": None, "threshold": threshold}
    all_predicted, all_measured, regrets, rhos, hits = [], [], [], [], 0
    for (signature, target), members in sorted(groups.items()):
        configs = [m["config"] for m in members]
        predicted = [m["predicted_s"] for m in members]
        measured = [m["measured_s"] for m in members]
        rho = spearman(predicted, measured)
        chosen, regret = top1_regret(configs, predicted, measured)
        hit = regret <= threshold
        result["groups"].append({
            "signature": signature, "target": target, "n": len(members),
            "spearman": rho, "mape": mape(predicted, measured),
            "regret": regret, "top1": hit, "chosen": chosen,
            "best": configs[int(np.argmin(measured))]})
        all_predicted += predicted
        all_measured += measured
        regrets.append(regret)
        if rho is not None:
            rhos.append(rho)
        hits += hit
    if groups:
        result["overall"] = {
            "groups": len(groups), "n": len(all_predicted),
            "spearman": spearman(all_predicted, all_measured),
            "mean_group_spearman": float(np.mean(rhos)) if rhos else None,
            "mape": mape(all_predicted, all_measured),
            "mean_regret": float(np.mean(regrets)),
            "top1_hits": hits}
    return result


def fmt(value, pattern):
    return "n/a" if value is None else pattern % value


def print_table(result, out=sys.stdout):
    header = "%-40s %-8s %5s %9s %8s %8s %5s" % (
        "group", "target", "n", "spearman", "MAPE%", "regret%", "top1")
    print(header, file=out)
    print("-" * len(header), file=out)
    for g in result["groups"]:
        name = g["signature"]
        if len(name) > 40:
            name = name[:37] + "..."
        print("%-40s %-8s %5d %9s %8.1f %8.1f %5s" % (
            name, g["target"], g["n"], fmt(g["spearman"], "%.3f"), g["mape"],
            g["regret"] * 100.0, "yes" if g["top1"] else "no"), file=out)
    overall = result["overall"]
    if overall is None:
        print("no rows with both a predicted and a measured latency", file=out)
        return
    print("-" * len(header), file=out)
    print("%-40s %-8s %5d %9s %8.1f %8.1f %5s" % (
        "overall (pooled)", "", overall["n"], fmt(overall["spearman"], "%.3f"),
        overall["mape"], overall["mean_regret"] * 100.0,
        "%d/%d" % (overall["top1_hits"], overall["groups"])), file=out)
    print("mean per-group spearman: %s; top-1 within %.0f%% of the measured "
          "best in %d of %d groups" % (
              fmt(overall["mean_group_spearman"], "%.3f"),
              result["threshold"] * 100.0, overall["top1_hits"],
              overall["groups"]), file=out)


def main(argv):
    parser = argparse.ArgumentParser(
        description="Cost model fidelity from a tuning database or CSV")
    parser.add_argument("input", help="tuning database (SQLite) or CSV export")
    parser.add_argument("--target", help="only rows of this target")
    parser.add_argument("--threshold", type=float, default=0.05,
                        help="top-1 regret counted as a hit (default 0.05)")
    parser.add_argument("--json", action="store_true",
                        help="print the figures as JSON instead of a table")
    parser.add_argument("--export-csv", metavar="OUT",
                        help="also write all rows as CSV")
    args = parser.parse_args(argv)
    try:
        rows = read_rows(args.input)
    except InputError as error:
        print("error: %s" % error, file=sys.stderr)
        return 1
    if args.target:
        rows = [r for r in rows if r["target"] == args.target]
    if args.export_csv:
        write_csv(rows, args.export_csv)
    result = analyse(rows, args.threshold)
    if args.json:
        json.dump(result, sys.stdout, indent=1, sort_keys=True)
        print()
    else:
        print_table(result)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
