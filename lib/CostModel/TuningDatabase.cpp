//===- TuningDatabase.cpp - SQLite store of tuning results ----------------===//

#include "Fuse/CostModel/TuningDatabase.h"

#include <sqlite3.h>

#include <cmath>
#include <ctime>

using namespace mlir;
using namespace mlir::fuse;

namespace {
/// A prepared statement, finalized on scope exit.
class Statement {
public:
  Statement(sqlite3 *db, const char *sql) {
    status = sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
  }
  ~Statement() { sqlite3_finalize(stmt); }
  bool ok() const { return status == SQLITE_OK; }
  sqlite3_stmt *get() { return stmt; }
  void bindText(int index, llvm::StringRef text) {
    sqlite3_bind_text(stmt, index, text.data(), static_cast<int>(text.size()),
                      SQLITE_TRANSIENT);
  }
  void bindReal(int index, std::optional<double> value) {
    if (value)
      sqlite3_bind_double(stmt, index, *value);
    else
      sqlite3_bind_null(stmt, index);
  }
  void bindInt(int index, int64_t value) {
    sqlite3_bind_int64(stmt, index, value);
  }
  std::string text(int column) {
    const unsigned char *value = sqlite3_column_text(stmt, column);
    return value ? reinterpret_cast<const char *>(value) : "";
  }
  std::optional<double> real(int column) {
    if (sqlite3_column_type(stmt, column) == SQLITE_NULL)
      return std::nullopt;
    return sqlite3_column_double(stmt, column);
  }

private:
  sqlite3_stmt *stmt = nullptr;
  int status;
};
} // namespace

static std::string describe(sqlite3 *db, const std::string &what) {
  return what + ": " + (db ? sqlite3_errmsg(db) : "out of memory");
}

static LogicalResult exec(sqlite3 *db, const char *sql, std::string &error,
                          const std::string &what) {
  char *message = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &message) == SQLITE_OK)
    return success();
  error = what + ": " + (message ? message : sqlite3_errmsg(db));
  sqlite3_free(message);
  return failure();
}

FailureOr<std::unique_ptr<TuningDatabase>>
TuningDatabase::open(llvm::StringRef path, std::string &error) {
  std::string where = "tuning database '" + path.str() + "'";
  if (path.empty()) {
    error = "tuning database: empty path";
    return failure();
  }
  sqlite3 *db = nullptr;
  int status = sqlite3_open_v2(path.str().c_str(), &db,
                               SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                   SQLITE_OPEN_FULLMUTEX,
                               nullptr);
  if (status != SQLITE_OK) {
    error = describe(db, "cannot open " + where);
    sqlite3_close(db);
    return failure();
  }
  std::unique_ptr<TuningDatabase> result(new TuningDatabase(db, path.str()));
  sqlite3_busy_timeout(db, 5000);

  // The version and whether the file holds any table. The first read of a
  // file that is not a database fails here.
  int version = -1;
  int tables = -1;
  auto readState = [&]() -> LogicalResult {
    Statement versionStmt(db, "PRAGMA user_version");
    if (!versionStmt.ok() || sqlite3_step(versionStmt.get()) != SQLITE_ROW) {
      error = describe(db, "cannot read " + where);
      return failure();
    }
    version = sqlite3_column_int(versionStmt.get(), 0);
    Statement tablesStmt(db, "SELECT count(*) FROM sqlite_master");
    if (!tablesStmt.ok() || sqlite3_step(tablesStmt.get()) != SQLITE_ROW) {
      error = describe(db, "cannot read " + where);
      return failure();
    }
    tables = sqlite3_column_int(tablesStmt.get(), 0);
    return success();
  };
  if (failed(readState()))
    return failure();
  if (version == 0) {
    // Not initialized, or another connection is creating it right now:
    // decide under the write lock, where the two reads see one state.
    if (failed(exec(db, "BEGIN IMMEDIATE", error, "cannot lock " + where)))
      return failure();
    auto rollback = [&] {
      sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    };
    if (failed(readState())) {
      rollback();
      return failure();
    }
    if (version == 0 && tables == 0) {
      std::string sql =
          "CREATE TABLE tuning ("
          " signature TEXT NOT NULL, target TEXT NOT NULL,"
          " config TEXT NOT NULL, predicted_s REAL, measured_s REAL,"
          " runs INTEGER NOT NULL DEFAULT 0, updated INTEGER NOT NULL,"
          " PRIMARY KEY (signature, target, config));"
          "PRAGMA user_version = " +
          std::to_string(kSchemaVersion) + ";";
      if (failed(exec(db, sql.c_str(), error, "cannot create " + where))) {
        rollback();
        return failure();
      }
      version = kSchemaVersion;
    }
    if (failed(exec(db, "COMMIT", error, "cannot create " + where))) {
      rollback();
      return failure();
    }
  }
  if (version != kSchemaVersion) {
    error = where + " has schema version " + std::to_string(version) +
            ", expected " + std::to_string(kSchemaVersion) +
            (version == 0 ? " (not a Fuse tuning database)" : "");
    return failure();
  }
  // Readers do not block the writer; commits need not wait for a full sync
  // (a crash may lose the last records, never corrupt the file). Where WAL
  // is unavailable (some network file systems) the default journal stays.
  sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL",
               nullptr, nullptr, nullptr);
  return result;
}

TuningDatabase::~TuningDatabase() { sqlite3_close(db); }

static bool validSeconds(double value) {
  return std::isfinite(value) && value >= 0;
}

LogicalResult TuningDatabase::upsert(llvm::StringRef signature,
                                     llvm::StringRef target,
                                     const TileConfig &config,
                                     std::optional<double> predicted,
                                     std::optional<double> measured,
                                     int64_t runs, std::string &error) {
  std::lock_guard<std::mutex> lock(mutex);
  // Only the given columns change on conflict.
  const char *sql =
      predicted
          ? "INSERT INTO tuning (signature, target, config, predicted_s,"
            " measured_s, runs, updated) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
            " ON CONFLICT (signature, target, config) DO UPDATE SET"
            " predicted_s = excluded.predicted_s, updated = excluded.updated"
          : "INSERT INTO tuning (signature, target, config, predicted_s,"
            " measured_s, runs, updated) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
            " ON CONFLICT (signature, target, config) DO UPDATE SET"
            " measured_s = excluded.measured_s, runs = excluded.runs,"
            " updated = excluded.updated";
  Statement stmt(db, sql);
  if (!stmt.ok()) {
    error = describe(db, "tuning database '" + path + "'");
    return failure();
  }
  stmt.bindText(1, signature);
  stmt.bindText(2, target);
  stmt.bindText(3, config.str());
  stmt.bindReal(4, predicted);
  stmt.bindReal(5, measured);
  stmt.bindInt(6, runs);
  stmt.bindInt(7, static_cast<int64_t>(std::time(nullptr)));
  if (sqlite3_step(stmt.get()) != SQLITE_DONE) {
    error = describe(db, "cannot write tuning database '" + path + "'");
    return failure();
  }
  return success();
}

LogicalResult TuningDatabase::recordPrediction(llvm::StringRef signature,
                                               llvm::StringRef target,
                                               const TileConfig &config,
                                               double predictedSeconds,
                                               std::string &error) {
  if (!validSeconds(predictedSeconds)) {
    error =
        "tuning database: invalid predicted latency for '" + config.str() + "'";
    return failure();
  }
  return upsert(signature, target, config, predictedSeconds, std::nullopt, 0,
                error);
}

LogicalResult TuningDatabase::recordMeasurement(
    llvm::StringRef signature, llvm::StringRef target, const TileConfig &config,
    double medianSeconds, int64_t runs, std::string &error) {
  if (!validSeconds(medianSeconds) || runs <= 0) {
    error = "tuning database: invalid measurement for '" + config.str() +
            "' (latency must be finite and non-negative, runs positive)";
    return failure();
  }
  return upsert(signature, target, config, std::nullopt, medianSeconds, runs,
                error);
}

FailureOr<std::optional<TuningDatabase::Best>>
TuningDatabase::lookupBest(llvm::StringRef signature, llvm::StringRef target,
                           std::string &error) {
  std::lock_guard<std::mutex> lock(mutex);
  Statement stmt(db, "SELECT config, measured_s, predicted_s FROM tuning"
                     " WHERE signature = ?1 AND target = ?2"
                     " AND (measured_s IS NOT NULL OR predicted_s IS NOT NULL)"
                     " ORDER BY measured_s IS NULL,"
                     " coalesce(measured_s, predicted_s), config LIMIT 1");
  if (!stmt.ok()) {
    error = describe(db, "tuning database '" + path + "'");
    return failure();
  }
  stmt.bindText(1, signature);
  stmt.bindText(2, target);
  int status = sqlite3_step(stmt.get());
  if (status == SQLITE_DONE)
    return std::optional<Best>();
  if (status != SQLITE_ROW) {
    error = describe(db, "cannot read tuning database '" + path + "'");
    return failure();
  }
  std::string text = stmt.text(0);
  std::string parseError;
  FailureOr<TileConfig> config = TileConfig::parse(text, parseError);
  if (failed(config)) {
    error = "tuning database '" + path + "': " + parseError;
    return failure();
  }
  std::optional<double> measured = stmt.real(1);
  return std::optional<Best>(Best{*config, measured ? *measured : *stmt.real(2),
                                  measured.has_value()});
}

FailureOr<std::vector<TuningDatabase::Row>>
TuningDatabase::rows(std::string &error, llvm::StringRef signature,
                     llvm::StringRef target) {
  std::lock_guard<std::mutex> lock(mutex);
  Statement stmt(db, "SELECT signature, target, config, predicted_s,"
                     " measured_s, runs, updated FROM tuning"
                     " WHERE (?1 = '' OR signature = ?1)"
                     " AND (?2 = '' OR target = ?2)"
                     " ORDER BY signature, target, config");
  if (!stmt.ok()) {
    error = describe(db, "tuning database '" + path + "'");
    return failure();
  }
  stmt.bindText(1, signature);
  stmt.bindText(2, target);
  std::vector<Row> result;
  int status;
  while ((status = sqlite3_step(stmt.get())) == SQLITE_ROW) {
    Row row;
    row.signature = stmt.text(0);
    row.target = stmt.text(1);
    row.config = stmt.text(2);
    row.predicted = stmt.real(3);
    row.measured = stmt.real(4);
    row.runs = sqlite3_column_int64(stmt.get(), 5);
    row.updated = sqlite3_column_int64(stmt.get(), 6);
    result.push_back(std::move(row));
  }
  if (status != SQLITE_DONE) {
    error = describe(db, "cannot read tuning database '" + path + "'");
    return failure();
  }
  return result;
}
