#include "test_server.h"

#include "server/storage/memory_storage.h"
#include "server/storage/storage_factory.h"

#include <QCoroTask>

namespace chalk::test {

bool TestServer::start(server::ServerOptions options, std::unique_ptr<server::Storage> storage)
{
    if (!storage && qgetenv("CHALK_TEST_STORAGE") == "sqlite") {
        server.reset();
        dataDir = std::make_unique<QTemporaryDir>();
        QString error;
        storage = server::makeStorage("sqlite:" + dataDir->filePath("test.db"), &error);
        if (!storage) {
            // The SQLite run must run on SQLite: never quietly on memory instead.
            qCritical() << "CHALK_TEST_STORAGE=sqlite but no SQLite storage:" << error;
            server = std::make_unique<server::ChatServer>(std::make_unique<server::MemoryStorage>(),
                                                          options);
            return false;
        }
    }
    if (!storage)
        storage = std::make_unique<server::MemoryStorage>();
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
