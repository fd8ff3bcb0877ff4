#!/usr/bin/python3
"""A synthetic tuning database, to try bench/cost_model_fidelity.py without
a GPU (real measured latencies need one: the tuner's measured mode times
compiled candidates on the device).

  /usr/bin/python3 bench/make_synthetic_tuning_db.py OUT.db [--groups 6]
      [--configs 24] [--noise 0.25] [--bias 1.3] [--seed 0]

Each group gets --configs configurations with a "true" latency; the
measured latency is the true one with 2% noise, the predicted one is
--bias times the true one with log-normal noise of sigma --noise (so the
model is systematically optimistic or pessimistic and imperfect in rank).
One configuration per group has a prediction only, as the tuner records
for candidates it did not time. The schema is that of
lib/CostModel/TuningDatabase.cpp (version 1).
"""
import argparse
import os
import sqlite3
import sys
import time

import numpy as np

SCHEMA = """
CREATE TABLE tuning (
 signature TEXT NOT NULL, target TEXT NOT NULL, config TEXT NOT NULL,
 predicted_s REAL, measured_s REAL, runs INTEGER NOT NULL DEFAULT 0,
 updated INTEGER NOT NULL,
 PRIMARY KEY (signature, target, config));
PRAGMA user_version = 1;
"""


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out")
    parser.add_argument("--groups", type=int, default=6)
    parser.add_argument("--configs", type=int, default=24)
    parser.add_argument("--noise", type=float, default=0.25)
    parser.add_argument("--bias", type=float, default=1.3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--target", default="h100")
    args = parser.parse_args(argv)
    if os.path.exists(args.out):
        os.remove(args.out)
    rng = np.random.default_rng(args.seed)
    connection = sqlite3.connect(args.out)
    connection.executescript(SCHEMA)
    now = int(time.time())
    for g in range(args.groups):
        signature = "synthetic_gemm_%d" % g
        scale = 10.0 ** rng.uniform(-5, -3)
        for c in range(args.configs):
            bm = [32, 64, 128, 256][c % 4]
            bn = [32, 64, 128, 256, 512, 1024][(c // 4) % 6]
            config = "mma_sync:BM=%d,BN=%d,stages=%d" % (bm, bn, 2 + c // 24)
            true = scale * rng.uniform(1.0, 3.0)
            measured = true * (1 + rng.normal(0, 0.02))
            predicted = args.bias * true * float(np.exp(rng.normal(0, args.noise)))
            if c == args.configs - 1:
                connection.execute(
                    "INSERT INTO tuning VALUES (?, ?, ?, ?, NULL, 0, ?)",
                    (signature, args.target, config, predicted, now))
            else:
                connection.execute(
                    "INSERT INTO tuning VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (signature, args.target, config, predicted, measured, 20,
                     now))
    connection.commit()
    connection.close()
    print("%s: %d groups x %d configs" % (args.out, args.groups, args.configs))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
