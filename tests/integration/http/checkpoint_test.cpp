// The API's connection leaves checkpoints to another thread and connection (store::Checkpointer),
// and between two batches restarts the log itself once it is long (as http::StoreWorker does):
// together they keep the write-ahead log bounded even though the writer hardly ever pauses,
// which passive checkpoints alone do not do (SQLite resets the log only when a write begins
// with everything copied). Without the writer's restart this test fails.
#include <catch2/catch.hpp>

#include <filesystem>
#include <thread>

#include "store/checkpointer.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "support/temp_dir.hpp"

using namespace cobrador;

// About 120 MiB written in 400 KiB transactions with a breath between them, as a busy server
// does: the log file stays far under that, because the writer restarts it past 16 MiB. A
// restart that finds the checkpoint thread mid-copy waits for the next transaction, so on a
// loaded machine the log overshoots 16 MiB by what is written meanwhile; 48 MiB leaves room
// for that and is still less than half of what a log that is never restarted reaches.
TEST_CASE("the checkpointer keeps the log bounded under a writer that never stops", "[http][sqlite]") {
  testing::TempDir dir;
  const auto path = (dir / "cobrador.db").string();
  store::sqlite::SqliteStore writer(path);
  writer.leave_checkpoints_to_others();
  writer.database().exec("PRAGMA synchronous = OFF");  // the disk is not what this test is about
  {
    store::Checkpointer checkpointer(std::make_unique<store::sqlite::SqliteStore>(path));
    const std::string details = "{\"padding\": \"" + std::string(4000, 'x') + "\"}";
    for (int t = 0; t < 300; ++t) {
      store::in_transaction(writer, [&] {
        for (int i = 0; i < 100; ++i)
          writer.audit({0, from_unix(0), "system", "customer:x", "padding", details});
      });
      writer.restart_log_if_long();
      std::this_thread::sleep_for(std::chrono::milliseconds{5});
    }
    CHECK(std::filesystem::file_size(path + "-wal") < 48u * 1024 * 1024);
  }
}
