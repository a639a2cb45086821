// Starts a ChatServer for a test on 127.0.0.1, port 0, with MemoryStorage unless told
// otherwise. CHALK_TEST_STORAGE=sqlite in the environment runs the same tests on a fresh
// SQLite file (storage on its own thread: handlers really suspend); start() fails when SQLite
// cannot be opened, never falls back to memory. Blocks (running the event loop)
// until started or stopped.
#pragma once

#include "server/chat_server.h"

#include <QTemporaryDir>
#include <memory>

namespace chalk::test {

// Options without the per-connection rate limits, for tests that send floods on purpose
// (the limits themselves are tested in tst_server_limits).
inline server::ServerOptions withoutRateLimits(server::ServerOptions options = {})
{
    options.messageRate = 0;
    options.callRate = 0;
    options.frameRate = 0; // every statement is a frame too
    options.abuseRefusals = 0;
    return options;
}

struct TestServer {
    std::unique_ptr<server::ChatServer> server;
    std::unique_ptr<QTemporaryDir> dataDir;

    // True once listening; on failure server->errorString() says why. Without `storage`:
    // runStorage().
    bool start(server::ServerOptions options = {},
               std::unique_ptr<server::Storage> storage = nullptr);
    // The storage of this run, for a test that wraps it in a decorator (GatedStorage, ...):
    // a fresh SQLite file under CHALK_TEST_STORAGE=sqlite, else MemoryStorage. nullptr when
    // SQLite cannot be opened. Call it with no server running.
    std::unique_ptr<server::Storage> runStorage();
    void stop();
    QUrl url() const { return server->url(); }
    ~TestServer();
};

} // namespace chalk::test
