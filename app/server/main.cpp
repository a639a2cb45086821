// chalkroom-server: the headless chat server for self-hosters.
//   chalkroom-server --host 127.0.0.1 --port 9000 --storage memory|sqlite:PATH
//   plus one flag per limit (docs/OPERATIONS.md) and --tls-cert/--tls-key for wss://.
#include "chat_server.h"
#ifdef Q_OS_LINUX
#include "epoll_event_dispatcher.h"
#endif
#include "logging.h"
#include "signal_watcher.h"
#include "storage/storage_factory.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QCoroSignal>
#include <QFile>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTimer>
#include <cmath>
#include <cstdio>
#include <optional>

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

// A numeric flag: its value, or an error naming the flag and the accepted range.
struct NumberFlag {
    QCommandLineOption option;
    double min;
    double max;
};

std::optional<double> number(const QCommandLineParser &parser, const NumberFlag &flag)
{
    bool ok = false;
    const QString text = parser.value(flag.option);
    const double v = text.toDouble(&ok);
    if (!ok || v < flag.min || v > flag.max || !std::isfinite(v)) {
        fail(QStringLiteral("--%1: expected a number from %2 to %3, got \"%4\"")
                 .arg(flag.option.names().first())
                 .arg(flag.min, 0, 'g', 12)
                 .arg(flag.max, 0, 'g', 12)
                 .arg(text));
        return std::nullopt;
    }
    return v;
}

QCommandLineOption numberOption(const char *name, const QString &help, double defaultValue)
{
    return QCommandLineOption(QString::fromLatin1(name),
                              help + QStringLiteral(" (default %1).").arg(defaultValue, 0, 'g', 12),
                              QStringLiteral("n"), QString::number(defaultValue, 'g', 12));
}

} // namespace

int main(int argc, char *argv[])
{
#ifdef Q_OS_LINUX
    // epoll: a wake-up costs O(ready sockets), not O(connections) as with Qt's poll() dispatcher.
    // It must exist before the application (QCoreApplication::setEventDispatcher).
    if (qEnvironmentVariable("CHALK_EVENT_DISPATCHER") != QLatin1String("qt"))
        installEpollEventDispatcher();
#endif
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
    const QCommandLineOption tlsCertOption(
        QStringLiteral("tls-cert"),
        QStringLiteral("Serve wss:// with this PEM certificate (chain)."), QStringLiteral("file"));
    const QCommandLineOption tlsKeyOption(QStringLiteral("tls-key"),
                                          QStringLiteral("PEM private key of --tls-cert."),
                                          QStringLiteral("file"));
    parser.addOptions({tlsCertOption, tlsKeyOption});
    const QCommandLineOption accountsOption(
        QStringLiteral("accounts"),
        QStringLiteral("off, optional (anonymous use stays possible) or required "
                       "(default optional)."),
        QStringLiteral("mode"), QStringLiteral("optional"));
    parser.addOption(accountsOption);

    ServerOptions options;
    const chalk::protocol::Limits &l = options.limits;
    constexpr double kIntMax = 2147483647.0;
    // Every limit of ServerOptions as a flag; defaults come from the structs themselves.
    const NumberFlag statementBytes{
        numberOption("max-statement-bytes",
                     QStringLiteral("Largest incoming frame/message in bytes; larger closes 1009"),
                     double(l.statementBytes)),
        1024, 64.0 * 1024 * 1024};
    const NumberFlag maxName{
        numberOption("max-name", QStringLiteral("Longest user name"), l.userName), 1, 10000};
    const NumberFlag maxRoomName{
        numberOption("max-room-name", QStringLiteral("Longest room name"), l.roomName), 1, 10000};
    const NumberFlag maxBody{
        numberOption("max-body", QStringLiteral("Longest message body in characters"), l.body), 1,
        1000000};
    const NumberFlag maxPoints{numberOption("max-points-per-line",
                                            QStringLiteral("Most x,y points in one line"),
                                            l.pointsPerLine),
                               2, 1000000};
    const NumberFlag maxLines{numberOption("max-lines-per-room",
                                           QStringLiteral("Most lines on one room's board"),
                                           l.linesPerRoom),
                              1, 10000000};
    const NumberFlag maxRooms{numberOption("max-rooms",
                                           QStringLiteral("Most rooms on the server; 0 = no limit"),
                                           options.maxRooms),
                              0, kIntMax};
    const NumberFlag messageRate{
        numberOption("message-rate",
                     QStringLiteral("create_message per second per connection; 0 = no limit"),
                     options.messageRate),
        0, 1e6};
    const NumberFlag messageBurst{
        numberOption("message-burst", QStringLiteral("create_message burst per connection"),
                     options.messageBurst),
        1, kIntMax};
    const NumberFlag callRate{
        numberOption("call-rate", QStringLiteral("Calls per second per connection; 0 = no limit"),
                     options.callRate),
        0, 1e6};
    const NumberFlag callBurst{
        numberOption("call-burst", QStringLiteral("Call burst per connection"), options.callBurst),
        1, kIntMax};
    const NumberFlag maxPendingBytes{
        numberOption("max-pending-bytes",
                     QStringLiteral("Unsent bytes before a non-reading peer is cut off; 0 = off"),
                     double(options.maxPendingBytes)),
        0, 1e12};
    const NumberFlag heartbeatInterval{numberOption("heartbeat-interval",
                                                    QStringLiteral("Ping every N ms; 0 = off"),
                                                    options.heartbeatIntervalMs),
                                       0, kIntMax};
    const NumberFlag heartbeatTimeout{
        numberOption("heartbeat-timeout", QStringLiteral("Drop a peer without a pong after N ms"),
                     options.heartbeatTimeoutMs),
        1, kIntMax};
    // Argon2id's work factor (docs/ACCOUNTS.md); libsodium's bounds.
    const NumberFlag passwordOps{numberOption("password-ops",
                                              QStringLiteral("Argon2id passes per password hash"),
                                              double(options.passwordWork.opsLimit)),
                                 1, 4294967295.0};
    const NumberFlag passwordMem{numberOption("password-mem-kib",
                                              QStringLiteral("Argon2id memory per hash in KiB"),
                                              double(options.passwordWork.memLimit / 1024)),
                                 8, 4194304};
    const NumberFlag passwordThreads{
        numberOption("password-threads",
                     QStringLiteral("Password hashes computed at the same time"),
                     options.passwordWork.threads),
        1, 256};
    // Frames and connections (docs/SECURITY.md says why each default).
    const NumberFlag frameRate{
        numberOption("frame-rate",
                     QStringLiteral("WebSocket frames per second per connection; 0 = no limit"),
                     options.frameRate),
        0, 1e6};
    const NumberFlag frameBurst{numberOption("frame-burst",
                                             QStringLiteral("Frame burst per connection"),
                                             options.frameBurst),
                                1, kIntMax};
    const NumberFlag pingRate{
        numberOption("ping-rate", QStringLiteral("Pings per second per connection; 0 = no limit"),
                     options.pingRate),
        0, 1e6};
    const NumberFlag pingBurst{
        numberOption("ping-burst", QStringLiteral("Ping burst per connection"), options.pingBurst),
        1, kIntMax};
    const NumberFlag maxConnections{
        numberOption("max-connections",
                     QStringLiteral("Open connections in all; 0 = the descriptor limit less "
                                    "a reserve"),
                     options.maxConnections),
        0, kIntMax};
    const NumberFlag maxPerAddress{
        numberOption("max-connections-per-address",
                     QStringLiteral("Open connections from one address; 0 = no limit"),
                     options.maxConnectionsPerAddress),
        0, kIntMax};
    const NumberFlag maxHandshakesPerAddress{
        numberOption("max-handshakes-per-address",
                     QStringLiteral("TLS handshakes under way from one address; 0 = no limit"),
                     options.maxHandshakesPerAddress),
        0, kIntMax};
    const NumberFlag maxPendingHandshakes{
        numberOption("max-pending-handshakes",
                     QStringLiteral("Connections in the TLS or WebSocket handshake at once"),
                     options.maxPendingConnections),
        1, kIntMax};
    const NumberFlag handshakeTimeout{
        numberOption("handshake-timeout",
                     QStringLiteral("Drop a connection not through its handshakes after N ms"),
                     options.handshakeTimeoutMs),
        100, kIntMax};
    const NumberFlag tlsHandshakeTimeout{
        numberOption("tls-handshake-timeout",
                     QStringLiteral("Drop a connection not through TLS after N ms"),
                     options.tlsHandshakeTimeoutMs),
        100, kIntMax};
    const NumberFlag presenceInterval{
        numberOption("presence-interval",
                     QStringLiteral("At most one presence_changed per connection per N ms"),
                     options.presenceIntervalMs),
        0, 600000};
    const NumberFlag presenceBatch{
        numberOption("presence-batch",
                     QStringLiteral("Users in one presence_changed; more wait; 0 = no limit"),
                     options.presenceBatchMax),
        0, kIntMax};
    const NumberFlag *numberFlags[] = {&statementBytes,
                                       &maxName,
                                       &maxRoomName,
                                       &maxBody,
                                       &maxPoints,
                                       &maxLines,
                                       &maxRooms,
                                       &messageRate,
                                       &messageBurst,
                                       &callRate,
                                       &callBurst,
                                       &maxPendingBytes,
                                       &heartbeatInterval,
                                       &heartbeatTimeout,
                                       &passwordOps,
                                       &passwordMem,
                                       &passwordThreads,
                                       &frameRate,
                                       &frameBurst,
                                       &pingRate,
                                       &pingBurst,
                                       &maxConnections,
                                       &maxPerAddress,
                                       &maxHandshakesPerAddress,
                                       &maxPendingHandshakes,
                                       &handshakeTimeout,
                                       &tlsHandshakeTimeout,
                                       &presenceInterval,
                                       &presenceBatch};
    for (const NumberFlag *f : numberFlags)
        parser.addOption(f->option);
    parser.process(app);

    double values[std::size(numberFlags)];
    for (std::size_t i = 0; i < std::size(numberFlags); ++i) {
        const auto v = number(parser, *numberFlags[i]);
        if (!v)
            return 2;
        values[i] = *v;
    }
    options.limits.statementBytes = qsizetype(values[0]);
    options.limits.userName = int(values[1]);
    options.limits.roomName = int(values[2]);
    options.limits.body = int(values[3]);
    options.limits.pointsPerLine = int(values[4]);
    options.limits.linesPerRoom = int(values[5]);
    options.maxRooms = int(values[6]);
    options.messageRate = values[7];
    options.messageBurst = int(values[8]);
    options.callRate = values[9];
    options.callBurst = int(values[10]);
    options.maxPendingBytes = qint64(values[11]);
    options.heartbeatIntervalMs = int(values[12]);
    options.heartbeatTimeoutMs = int(values[13]);
    options.passwordWork.opsLimit = quint64(values[14]);
    options.passwordWork.memLimit = std::size_t(values[15]) * 1024;
    options.passwordWork.threads = int(values[16]);
    options.frameRate = values[17];
    options.frameBurst = int(values[18]);
    options.pingRate = values[19];
    options.pingBurst = int(values[20]);
    options.maxConnections = int(values[21]);
    options.maxConnectionsPerAddress = int(values[22]);
    options.maxHandshakesPerAddress = int(values[23]);
    options.maxPendingConnections = int(values[24]);
    options.handshakeTimeoutMs = int(values[25]);
    options.tlsHandshakeTimeoutMs = int(values[26]);
    options.presenceIntervalMs = int(values[27]);
    options.presenceBatchMax = int(values[28]);
    const QString accounts = parser.value(accountsOption);
    if (accounts == QLatin1String("off")) {
        options.accounts = AccountsMode::Off;
    } else if (accounts == QLatin1String("optional")) {
        options.accounts = AccountsMode::Optional;
    } else if (accounts == QLatin1String("required")) {
        options.accounts = AccountsMode::Required;
    } else {
        fail(QStringLiteral("--accounts: expected off, optional or required, got \"%1\"")
                 .arg(accounts));
        return 2;
    }
    if (options.limits.body * 4 + 1024 > options.limits.statementBytes) {
        fail(QStringLiteral("--max-body %1 does not fit in --max-statement-bytes %2 (a body "
                            "may need 4 bytes per character plus the statement around it)")
                 .arg(options.limits.body)
                 .arg(options.limits.statementBytes));
        return 2;
    }

    if (parser.isSet(tlsCertOption) != parser.isSet(tlsKeyOption)) {
        fail(QStringLiteral("--tls-cert and --tls-key go together"));
        return 2;
    }
    if (parser.isSet(tlsCertOption)) {
        if (!QSslSocket::supportsSsl()) {
            fail(QStringLiteral("TLS is not available (no TLS backend for Qt)"));
            return 1;
        }
        const QString certPath = parser.value(tlsCertOption);
        QFile certFile(certPath);
        if (!certFile.open(QIODevice::ReadOnly)) {
            fail(QStringLiteral("--tls-cert %1: %2").arg(certPath, certFile.errorString()));
            return 1;
        }
        const QList<QSslCertificate> certs = QSslCertificate::fromData(certFile.readAll());
        if (certs.isEmpty()) {
            fail(QStringLiteral("--tls-cert %1: no PEM certificate in the file").arg(certPath));
            return 1;
        }
        options.tlsCertificate = certs.first();
        const QString keyPath = parser.value(tlsKeyOption);
        QFile keyFile(keyPath);
        if (!keyFile.open(QIODevice::ReadOnly)) {
            fail(QStringLiteral("--tls-key %1: %2").arg(keyPath, keyFile.errorString()));
            return 1;
        }
        const QByteArray keyPem = keyFile.readAll();
        for (QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
            options.tlsKey = QSslKey(keyPem, algorithm);
            if (!options.tlsKey.isNull())
                break;
        }
        if (options.tlsKey.isNull()) {
            fail(QStringLiteral("--tls-key %1: no unencrypted PEM private key in the file")
                     .arg(keyPath));
            return 1;
        }
    }
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
