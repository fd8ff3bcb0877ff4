//===- TuningDatabaseTest.cpp - SQLite tuning database --------------------===//

#include "Fuse/CostModel/TuningDatabase.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cmath>
#include <cstdlib>
#include <thread>

using namespace mlir;
using namespace mlir::fuse;

namespace {

/// A fresh path in the temporary directory, removed at the end.
class TempPath {
public:
  TempPath() {
    llvm::SmallString<128> buffer;
    llvm::sys::fs::createUniquePath("fuse-tuning-%%%%%%%%.db", buffer,
                                    /*MakeAbsolute=*/true);
    path = buffer.str().str();
  }
  ~TempPath() {
    for (const char *suffix : {"", "-journal", "-wal", "-shm"})
      llvm::sys::fs::remove(path + suffix);
  }
  std::string path;
};

TileConfig config(const std::string &text) {
  std::string error;
  FailureOr<TileConfig> parsed = TileConfig::parse(text, error);
  EXPECT_TRUE(succeeded(parsed)) << error;
  return *parsed;
}

TEST(TuningDatabase, RoundTripsThroughAFile) {
  TempPath file;
  std::string error;
  {
    auto db = TuningDatabase::open(file.path, error);
    ASSERT_TRUE(succeeded(db)) << error;
    TuningDatabase &d = **db;
    ASSERT_TRUE(succeeded(d.recordPrediction(
        "gemm_4096x4096x4096_bf16", "h100",
        config("mma_sync:BM=128,BN=128,BK=32"), 1.5e-4, error)))
        << error;
    ASSERT_TRUE(succeeded(d.recordPrediction("gemm_4096x4096x4096_bf16", "h100",
                                             config("wgmma:BM=128,BN=256"),
                                             1.1e-4, error)))
        << error;
    ASSERT_TRUE(succeeded(d.recordPrediction("softmax_1024x4096_f32", "a100",
                                             config("row_per_warp:vector=4"),
                                             2e-5, error)))
        << error;
    ASSERT_TRUE(succeeded(
        d.recordMeasurement("gemm_4096x4096x4096_bf16", "h100",
                            config("wgmma:BM=128,BN=256"), 1.3e-4, 25, error)))
        << error;
    // A new prediction keeps the measurement.
    ASSERT_TRUE(succeeded(d.recordPrediction("gemm_4096x4096x4096_bf16", "h100",
                                             config("wgmma:BM=128,BN=256"),
                                             1.2e-4, error)))
        << error;
  }
  auto db = TuningDatabase::open(file.path, error);
  ASSERT_TRUE(succeeded(db)) << error;
  auto rows = (*db)->rows(error);
  ASSERT_TRUE(succeeded(rows)) << error;
  ASSERT_EQ(rows->size(), 3u);
  const TuningDatabase::Row &mma = (*rows)[0];
  EXPECT_EQ(mma.signature, "gemm_4096x4096x4096_bf16");
  EXPECT_EQ(mma.target, "h100");
  EXPECT_EQ(mma.config, "mma_sync:BK=32,BM=128,BN=128");
  EXPECT_EQ(mma.predicted, 1.5e-4);
  EXPECT_FALSE(mma.measured.has_value());
  EXPECT_EQ(mma.runs, 0);
  EXPECT_GT(mma.updated, 1700000000);
  const TuningDatabase::Row &wg = (*rows)[1];
  EXPECT_EQ(wg.config, "wgmma:BM=128,BN=256");
  EXPECT_EQ(wg.predicted, 1.2e-4);
  EXPECT_EQ(wg.measured, 1.3e-4);
  EXPECT_EQ(wg.runs, 25);
  EXPECT_EQ((*rows)[2].target, "a100");

  auto filtered = (*db)->rows(error, "", "a100");
  ASSERT_TRUE(succeeded(filtered)) << error;
  ASSERT_EQ(filtered->size(), 1u);
  EXPECT_EQ((*filtered)[0].signature, "softmax_1024x4096_f32");
}

TEST(TuningDatabase, PrefersMeasuredOverPredicted) {
  TempPath file;
  std::string error;
  auto db = TuningDatabase::open(file.path, error);
  ASSERT_TRUE(succeeded(db)) << error;
  TuningDatabase &d = **db;
  const char *sig = "attention_b8_h16_s2048_d64";
  auto best = d.lookupBest(sig, "h100", error);
  ASSERT_TRUE(succeeded(best)) << error;
  EXPECT_FALSE(best->has_value());

  ASSERT_TRUE(succeeded(d.recordPrediction(
      sig, "h100", config("flash_attention:BM=64"), 1e-5, error)));
  ASSERT_TRUE(succeeded(d.recordPrediction(
      sig, "h100", config("flash_attention:BM=128"), 2e-5, error)));
  best = d.lookupBest(sig, "h100", error);
  ASSERT_TRUE(succeeded(best) && best->has_value()) << error;
  EXPECT_EQ((*best)->config.str(), "flash_attention:BM=64");
  EXPECT_FALSE((*best)->measured);
  EXPECT_EQ((*best)->seconds, 1e-5);

  // A measurement wins over a lower prediction.
  ASSERT_TRUE(succeeded(d.recordMeasurement(
      sig, "h100", config("flash_attention:BM=128"), 3e-5, 10, error)));
  best = d.lookupBest(sig, "h100", error);
  ASSERT_TRUE(succeeded(best) && best->has_value()) << error;
  EXPECT_EQ((*best)->config.str(), "flash_attention:BM=128");
  EXPECT_TRUE((*best)->measured);
  EXPECT_EQ((*best)->seconds, 3e-5);

  // Among measured ones the fastest measured wins.
  ASSERT_TRUE(succeeded(d.recordMeasurement(
      sig, "h100", config("flash_attention:BM=64"), 4e-5, 10, error)));
  best = d.lookupBest(sig, "h100", error);
  EXPECT_EQ((*best)->config.str(), "flash_attention:BM=128");
  ASSERT_TRUE(succeeded(d.recordMeasurement(
      sig, "h100", config("flash_attention:BM=64"), 2.5e-5, 12, error)));
  best = d.lookupBest(sig, "h100", error);
  EXPECT_EQ((*best)->config.str(), "flash_attention:BM=64");
  EXPECT_EQ((*best)->seconds, 2.5e-5);

  // Keyed by target too.
  best = d.lookupBest(sig, "a100", error);
  ASSERT_TRUE(succeeded(best)) << error;
  EXPECT_FALSE(best->has_value());
}

TEST(TuningDatabase, ErrorsAreMessages) {
  std::string error;
  auto missingDir =
      TuningDatabase::open("/nonexistent-fuse-dir/sub/tuning.db", error);
  EXPECT_TRUE(failed(missingDir));
  EXPECT_NE(error.find("cannot open tuning database "
                       "'/nonexistent-fuse-dir/sub/tuning.db'"),
            std::string::npos)
      << error;

  EXPECT_TRUE(failed(TuningDatabase::open("", error)));

  TempPath text;
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(text.path, ec);
    ASSERT_FALSE(ec);
    os << "this is not a database, it is a text file long enough to have "
          "a header of one hundred bytes or more, which sqlite checks........";
  }
  EXPECT_TRUE(failed(TuningDatabase::open(text.path, error)));
  EXPECT_NE(error.find("not a database"), std::string::npos) << error;

  // A database of another schema version is refused.
  TempPath other;
  {
    sqlite3 *raw = nullptr;
    ASSERT_EQ(sqlite3_open(other.path.c_str(), &raw), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw,
                           "CREATE TABLE tuning (x INTEGER);"
                           "PRAGMA user_version = 7;",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(raw);
  }
  EXPECT_TRUE(failed(TuningDatabase::open(other.path, error)));
  EXPECT_NE(error.find("schema version 7, expected 1"), std::string::npos)
      << error;

  TempPath file;
  auto db = TuningDatabase::open(file.path, error);
  ASSERT_TRUE(succeeded(db)) << error;
  EXPECT_TRUE(failed(
      (*db)->recordMeasurement("g", "h100", config("k"), 1e-5, 0, error)));
  EXPECT_NE(error.find("invalid measurement"), std::string::npos) << error;
  EXPECT_TRUE(
      failed((*db)->recordPrediction("g", "h100", config("k"), NAN, error)));
}

TEST(TuningDatabase, ConcurrentWritersInOneProcess) {
  TempPath file;
  std::string error;
  auto db = TuningDatabase::open(file.path, error);
  ASSERT_TRUE(succeeded(db)) << error;
  TuningDatabase &d = **db;
  auto writer = [&](int thread) {
    for (int i = 0; i < 50; ++i) {
      std::string localError;
      TileConfig c;
      c.impl = "elementwise";
      c.params = {{"thread", thread}, {"vector", i}};
      EXPECT_TRUE(succeeded(
          d.recordPrediction("g", "h100", c, 1e-6 * (i + 1), localError)))
          << localError;
    }
  };
  std::thread a(writer, 0), b(writer, 1);
  // A second connection to the same file writes as well.
  {
    auto second = TuningDatabase::open(file.path, error);
    ASSERT_TRUE(succeeded(second)) << error;
    for (int i = 0; i < 20; ++i)
      EXPECT_TRUE(succeeded((*second)->recordPrediction(
          "g2", "h100", config("k:x=" + std::to_string(i)), 1e-6, error)))
          << error;
  }
  a.join();
  b.join();
  auto rows = d.rows(error);
  ASSERT_TRUE(succeeded(rows)) << error;
  EXPECT_EQ(rows->size(), 120u);
}

TEST(TuningDatabase, ConcurrentCreation) {
  for (int round = 0; round < 5; ++round) {
    TempPath file;
    bool ok[4] = {false, false, false, false};
    std::string errors[4];
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
      threads.emplace_back([&, t] {
        auto db = TuningDatabase::open(file.path, errors[t]);
        ok[t] = succeeded(db) &&
                succeeded((*db)->recordPrediction("g", "h100", config("k"),
                                                  1e-6 * (t + 1), errors[t]));
      });
    for (std::thread &thread : threads)
      thread.join();
    for (int t = 0; t < 4; ++t)
      EXPECT_TRUE(ok[t]) << errors[t];
  }
}

TEST(TuningDatabase, FidelityScriptReadsWhatItWrites) {
  if (!llvm::sys::fs::exists("/usr/bin/python3"))
    GTEST_SKIP() << "no /usr/bin/python3";
  TempPath file;
  TempPath out;
  std::string error;
  {
    auto db = TuningDatabase::open(file.path, error);
    ASSERT_TRUE(succeeded(db)) << error;
    // Predicted twice the measured latency, same order: rho 1, MAPE 100%.
    for (int i = 1; i <= 4; ++i) {
      TileConfig c = config("k:BM=" + std::to_string(16 * i));
      ASSERT_TRUE(
          succeeded((*db)->recordPrediction("g", "h100", c, 2e-6 * i, error)));
      ASSERT_TRUE(succeeded(
          (*db)->recordMeasurement("g", "h100", c, 1e-6 * i, 9, error)));
    }
  }
  std::string command = "/usr/bin/python3 " FUSE_SOURCE_DIR
                        "/bench/cost_model_fidelity.py --json '" +
                        file.path + "' > '" + out.path + "'";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  auto text = llvm::MemoryBuffer::getFile(out.path);
  ASSERT_TRUE(bool(text));
  std::string json = (*text)->getBuffer().str();
  EXPECT_NE(json.find("\"spearman\": 1.0"), std::string::npos) << json;
  EXPECT_NE(json.find("\"mape\": 100.0"), std::string::npos) << json;
  EXPECT_NE(json.find("\"top1_hits\": 1"), std::string::npos) << json;
}

} // namespace
