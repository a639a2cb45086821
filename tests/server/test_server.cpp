#include "test_server.h"

#include "server/storage/memory_storage.h"
#include "server/storage/storage_factory.h"

#include <QCoroTask>

namespace chalk::test {

std::unique_ptr<server::Storage> TestServer::runStorage()
{
    if (qgetenv("CHALK_TEST_STORAGE") != "sqlite")
        return std::make_unique<server::MemoryStorage>();
    server.reset(); // the last server lets go of its database first
    dataDir = std::make_unique<QTemporaryDir>();
    QString error;
    auto storage = server::makeStorage("sqlite:" + dataDir->filePath("test.db"), &error);
    if (!storage)
        qCritical() << "CHALK_TEST_STORAGE=sqlite but no SQLite storage:" << error;
    return storage;
}

bool TestServer::start(server::ServerOptions options, std::unique_ptr<server::Storage> storage)
{
    if (!storage)
        storage = runStorage();
    if (!storage) {
        // The SQLite run must run on SQLite: never quietly on memory instead. (A server that
        // is not started, so that url() and errorString() still answer.)
        server = std::make_unique<server::ChatServer>(std::make_unique<server::MemoryStorage>(),
                                                      options);
        return false;
    }
    options.host = QHostAddress::LocalHost;
    server = std::make_unique<server::ChatServer>(std::move(storage), options);
    return QCoro::waitFor(server->start());
}

void TestServer::stop()
{
    if (server)
        QCoro::waitFor(server->stop());
}

TestServer::~TestServer()
{
    if (server && server->isListening())
        stop();
}

} // namespace chalk::test
