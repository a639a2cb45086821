// chalkroom-server: the headless chat server for self-hosters.
//   chalkroom-server --host 127.0.0.1 --port 9000 --storage memory|sqlite:PATH
#include "chat_server.h"
#include "logging.h"
#include "signal_watcher.h"
#include "storage/storage_factory.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QCoroSignal>
#include <QFile>
#include <QStandardPaths>
#include <QTimer>
#include <cstdio>

using namespace chalk::server;

namespace {

void fail(const QString &message)
{
    std::fprintf(stderr, "chalkroom-server: %s\n", qPrintable(message));
}

QCoro::Task<void> run(ChatServer *server, SignalWatcher *watcher)
{
    if (!co_await server->start()) {
        fail(server->errorString());
        QCoreApplication::exit(1);
        co_return;
    }
    std::fprintf(stdout, "chalkroom-server listening on %s\n",
                 qPrintable(server->url().toString()));
    std::fflush(stdout);
    const int number = co_await qCoro(watcher, &SignalWatcher::terminationRequested);
    qCInfo(lcServer) << "signal" << number << "received, stopping";
    co_await server->stop(); // closes sessions, waits for pending writes
    QCoreApplication::exit(0);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("chalkroom"));
    QCoreApplication::setOrganizationName(QStringLiteral("Chalkroom"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CHALK_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Chalkroom chat server (statement protocol "
                                                    "over WebSocket)"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption hostOption(QStringLiteral("host"),
                                        QStringLiteral("Address to listen on (default 127.0.0.1)."),
                                        QStringLiteral("address"), QStringLiteral("127.0.0.1"));
    const QCommandLineOption portOption(QStringLiteral("port"),
                                        QStringLiteral("TCP port (default 9000; 0 = any free)."),
                                        QStringLiteral("port"), QStringLiteral("9000"));
    const QCommandLineOption storageOption(
        QStringLiteral("storage"),
        QStringLiteral("memory or sqlite:PATH (default: sqlite in the data directory)."),
        QStringLiteral("spec"));
    const QCommandLineOption passwordFileOption(
        QStringLiteral("password-file"),
        QStringLiteral("Ask clients for the password in the first line of this file."),
        QStringLiteral("file"));
    parser.addOptions({hostOption, portOption, storageOption, passwordFileOption});
    parser.process(app);

    ServerOptions options;
    if (!options.host.setAddress(parser.value(hostOption))) {
        fail(QStringLiteral("--host: not an IP address: %1").arg(parser.value(hostOption)));
        return 2;
    }
    bool portOk = false;
    const uint port = parser.value(portOption).toUInt(&portOk);
    if (!portOk || port > 65535) {
        fail(QStringLiteral("--port: not a port number: %1").arg(parser.value(portOption)));
        return 2;
    }
    options.port = quint16(port);
    if (parser.isSet(passwordFileOption)) {
        // A file, not a flag: a password on the command line is visible to every local user.
        QFile file(parser.value(passwordFileOption));
        if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
            fail(QStringLiteral("--password-file %1: %2")
                     .arg(parser.value(passwordFileOption), file.errorString()));
            return 2;
        }
        options.password = QString::fromUtf8(file.readLine()).trimmed();
        if (options.password.isEmpty()) {
            fail(QStringLiteral("--password-file %1: the first line is empty")
                     .arg(parser.value(passwordFileOption)));
            return 2;
        }
    }

    QString spec = parser.value(storageOption);
    if (!parser.isSet(storageOption)) {
        const QString path = defaultSqlitePath(); // creates the data folder
        if (path.isEmpty()) {
            fail(QStringLiteral("cannot create the data folder %1; use --storage")
                     .arg(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)));
            return 2;
        }
        spec = QStringLiteral("sqlite:") + path;
    }
    QString storageError;
    std::unique_ptr<Storage> storage = makeStorage(spec, &storageError);
    if (!storage) {
        fail(QStringLiteral("--storage %1: %2").arg(spec, storageError));
        return 2;
    }

    SignalWatcher signalWatcher;
    ChatServer server(std::move(storage), options);
    QTimer::singleShot(0, &app, [&] { run(&server, &signalWatcher); });
    return app.exec();
}
