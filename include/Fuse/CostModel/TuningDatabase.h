//===- TuningDatabase.h - SQLite store of tuning results --------*- C++ -*-===//
//
// One table keyed by (group signature, target name, configuration text)
// holding the cost model's predicted latency, an optional measured latency
// (median seconds over `runs` timed runs) and the time of the last update:
//
//   CREATE TABLE tuning (
//     signature TEXT NOT NULL, target TEXT NOT NULL, config TEXT NOT NULL,
//     predicted_s REAL, measured_s REAL, runs INTEGER NOT NULL DEFAULT 0,
//     updated INTEGER NOT NULL,          -- seconds since the Unix epoch
//     PRIMARY KEY (signature, target, config));
//
// The schema version is SQLite's `user_version` (kSchemaVersion); a database
// of another version is refused. bench/cost_model_fidelity.py reads the
// same table. Errors come back as messages, never aborts. One connection is
// safe to use from several threads of a process (calls are serialized);
// other connections wait up to five seconds for a lock.
//
//===----------------------------------------------------------------------===//

#ifndef FUSE_COSTMODEL_TUNINGDATABASE_H
#define FUSE_COSTMODEL_TUNINGDATABASE_H

#include "Fuse/CostModel/TileConfig.h"

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;

namespace mlir {
namespace fuse {

class TuningDatabase {
public:
  static constexpr int kSchemaVersion = 1;

  struct Row {
    std::string signature;
    std::string target;
    std::string config;
    std::optional<double> predicted;
    std::optional<double> measured;
    int64_t runs = 0;
    int64_t updated = 0;
  };

  struct Best {
    TileConfig config;
    /// The measured latency when there is one, else the predicted one.
    double seconds;
    bool measured;
  };

  /// Opens (creating when missing) the database at `path`.
  static FailureOr<std::unique_ptr<TuningDatabase>> open(llvm::StringRef path,
                                                         std::string &error);
  ~TuningDatabase();
  TuningDatabase(const TuningDatabase &) = delete;
  TuningDatabase &operator=(const TuningDatabase &) = delete;

  /// Stores the cost model's prediction (keeps any measurement).
  LogicalResult recordPrediction(llvm::StringRef signature,
                                 llvm::StringRef target,
                                 const TileConfig &config,
                                 double predictedSeconds, std::string &error);
  /// Stores a measurement (keeps any prediction).
  LogicalResult recordMeasurement(llvm::StringRef signature,
                                  llvm::StringRef target,
                                  const TileConfig &config,
                                  double medianSeconds, int64_t runs,
                                  std::string &error);
  /// The best known configuration for (signature, target): the fastest
  /// measured one when any is measured, else the fastest predicted one;
  /// nullopt when there is none.
  FailureOr<std::optional<Best>> lookupBest(llvm::StringRef signature,
                                            llvm::StringRef target,
                                            std::string &error);
  /// Every row (ordered by signature, target, config); with a non-empty
  /// `signature`/`target`, only those rows.
  FailureOr<std::vector<Row>> rows(std::string &error,
                                   llvm::StringRef signature = "",
                                   llvm::StringRef target = "");

  const std::string &getPath() const { return path; }

private:
  TuningDatabase(sqlite3 *db, std::string path)
      : db(db), path(std::move(path)) {}
  LogicalResult upsert(llvm::StringRef signature, llvm::StringRef target,
                       const TileConfig &config,
                       std::optional<double> predicted,
                       std::optional<double> measured, int64_t runs,
                       std::string &error);

  sqlite3 *db;
  std::string path;
  std::mutex mutex;
};

} // namespace fuse
} // namespace mlir

#endif // FUSE_COSTMODEL_TUNINGDATABASE_H
