#!/usr/bin/python3
"""Tests of bench/cost_model_fidelity.py (run by ctest as FuseFidelityScript:
`python3 test/unittests/cost_model_fidelity_test.py`)."""
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import unittest

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BENCH = os.path.join(ROOT, "bench")
SCRIPT = os.path.join(BENCH, "cost_model_fidelity.py")
MAKE = os.path.join(BENCH, "make_synthetic_tuning_db.py")
sys.path.insert(0, BENCH)
import cost_model_fidelity as fidelity  # noqa: E402

SCHEMA = """
CREATE TABLE tuning (
 signature TEXT NOT NULL, target TEXT NOT NULL, config TEXT NOT NULL,
 predicted_s REAL, measured_s REAL, runs INTEGER NOT NULL DEFAULT 0,
 updated INTEGER NOT NULL, PRIMARY KEY (signature, target, config));
PRAGMA user_version = 1;
"""


def run(*args):
    return subprocess.run([sys.executable, SCRIPT] + list(args),
                          capture_output=True, text=True)


class Spearman(unittest.TestCase):
    def test_perfect_and_reversed(self):
        self.assertAlmostEqual(fidelity.spearman([1, 2, 3, 4], [10, 20, 30, 40]), 1.0)
        self.assertAlmostEqual(fidelity.spearman([1, 2, 3, 4], [4, 3, 2, 1]), -1.0)

    def test_ties_get_average_ranks(self):
        self.assertEqual(list(fidelity.rankdata([1, 2, 2, 3])), [1, 2.5, 2.5, 4])
        # Ranks x = 1, 2.5, 2.5, 4 and y = 1, 3, 2, 4: 4.5 / sqrt(4.5 * 5).
        self.assertAlmostEqual(fidelity.spearman([1, 2, 2, 3], [1, 3, 2, 4]),
                               4.5 / (4.5 * 5) ** 0.5)

    def test_matches_the_distinct_value_formula(self):
        rng = np.random.default_rng(3)
        x, y = rng.permutation(30).astype(float), rng.permutation(30).astype(float)
        d = fidelity.rankdata(x) - fidelity.rankdata(y)
        n = len(x)
        self.assertAlmostEqual(fidelity.spearman(x, y),
                               1 - 6 * float(np.sum(d * d)) / (n * (n * n - 1)))

    def test_undefined_cases(self):
        self.assertIsNone(fidelity.spearman([1.0], [2.0]))
        self.assertIsNone(fidelity.spearman([1, 1, 1], [1, 2, 3]))


class Script(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.db = os.path.join(self.dir.name, "tuning.db")
        connection = sqlite3.connect(self.db)
        connection.executescript(SCHEMA)
        rows = []
        # good: predicted = 1.1 * measured, same order: rho 1, MAPE 10%.
        for i, m in enumerate([1e-5, 2e-5, 3e-5, 4e-5]):
            rows.append(("good", "h100", "k:x=%d" % i, 1.1 * m, m, 10))
        # bad: order reversed: rho -1; the model's first choice is the
        # slowest (4e-5 against 1e-5: regret 300%).
        for i, m in enumerate([1e-5, 2e-5, 3e-5, 4e-5]):
            rows.append(("bad", "h100", "k:x=%d" % i, 5e-5 - m, m, 10))
        # predicted only: ignored.
        rows.append(("good", "h100", "k:x=9", 1e-9, None, 0))
        # near: the model picks a config 4% slower than the best: a hit.
        rows.append(("near", "a100", "k:x=0", 1.0e-5, 1.04e-5, 5))
        rows.append(("near", "a100", "k:x=1", 2.0e-5, 1.00e-5, 5))
        connection.executemany(
            "INSERT INTO tuning VALUES (?, ?, ?, ?, ?, ?, 1700000000)", rows)
        connection.commit()
        connection.close()

    def tearDown(self):
        self.dir.cleanup()

    def figures(self, path, *args):
        result = run(path, "--json", *args)
        self.assertEqual(result.returncode, 0, result.stderr)
        return json.loads(result.stdout)

    def test_per_group_and_overall_figures(self):
        figures = self.figures(self.db)
        groups = {g["signature"]: g for g in figures["groups"]}
        self.assertEqual(sorted(groups), ["bad", "good", "near"])
        good, bad, near = groups["good"], groups["bad"], groups["near"]
        self.assertEqual(good["n"], 4)
        self.assertAlmostEqual(good["spearman"], 1.0)
        self.assertAlmostEqual(good["mape"], 10.0)
        self.assertAlmostEqual(good["regret"], 0.0)
        self.assertTrue(good["top1"])
        self.assertAlmostEqual(bad["spearman"], -1.0)
        self.assertAlmostEqual(bad["regret"], 3.0)
        self.assertFalse(bad["top1"])
        self.assertEqual(bad["chosen"], "k:x=3")
        self.assertEqual(bad["best"], "k:x=0")
        self.assertAlmostEqual(near["regret"], 0.04)
        self.assertTrue(near["top1"])
        overall = figures["overall"]
        self.assertEqual(overall["n"], 10)
        self.assertEqual(overall["groups"], 3)
        self.assertEqual(overall["top1_hits"], 2)
        self.assertAlmostEqual(overall["mean_regret"], (0 + 3.0 + 0.04) / 3)
        # A tighter threshold turns the near miss into a miss.
        tight = self.figures(self.db, "--threshold", "0.01")
        self.assertEqual(tight["overall"]["top1_hits"], 1)
        only = self.figures(self.db, "--target", "a100")
        self.assertEqual([g["signature"] for g in only["groups"]], ["near"])

    def test_csv_export_round_trips(self):
        csv_path = os.path.join(self.dir.name, "rows.csv")
        result = run(self.db, "--export-csv", csv_path)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("overall (pooled)", result.stdout)
        self.assertEqual(self.figures(csv_path), self.figures(self.db))
        with open(csv_path) as stream:
            self.assertEqual(len(stream.readlines()), 1 + 11)

    def test_errors(self):
        result = run(os.path.join(self.dir.name, "missing.db"))
        self.assertEqual(result.returncode, 1)
        self.assertIn("no such file", result.stderr)
        other = os.path.join(self.dir.name, "other.db")
        connection = sqlite3.connect(other)
        connection.executescript("CREATE TABLE t (x); PRAGMA user_version = 3;")
        connection.close()
        result = run(other)
        self.assertEqual(result.returncode, 1)
        self.assertIn("schema version 3, expected 1", result.stderr)
        bad_csv = os.path.join(self.dir.name, "bad.csv")
        with open(bad_csv, "w") as stream:
            stream.write("a,b\n1,2\n")
        result = run(bad_csv)
        self.assertEqual(result.returncode, 1)
        self.assertIn("missing columns", result.stderr)

    def test_synthetic_database(self):
        db = os.path.join(self.dir.name, "synthetic.db")
        made = subprocess.run([sys.executable, MAKE, db, "--groups", "3",
                               "--configs", "10", "--noise", "0"],
                              capture_output=True, text=True)
        self.assertEqual(made.returncode, 0, made.stderr)
        figures = self.figures(db)
        # Without noise the prediction is a constant factor (1.3) of the
        # true latency: ranks agree up to the 2% measurement noise.
        self.assertEqual(figures["overall"]["groups"], 3)
        self.assertEqual(figures["overall"]["n"], 27)
        self.assertAlmostEqual(figures["overall"]["mape"], 30.0, delta=5.0)
        for group in figures["groups"]:
            self.assertGreater(group["spearman"], 0.9)


if __name__ == "__main__":
    unittest.main()
