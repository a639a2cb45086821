// Connection caps (issue 14): connections per address and in all, accepting paused (not
// spinning, not stopped) when descriptors run out, TLS handshakes that silent sockets cannot
// exhaust, TLS 1.2 suites with forward secrecy and AEAD only, and log lines a flood causes
// written once with a count. 127.0.0.2 plays a second machine (all of 127/8 is loopback).
#include "raw_websocket.h"
#include "server_process.h"
#include "server_steps.h"
#include "test_certificate.h"
#include "test_server.h"

#include <QSslCipher>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <memory>
#include <vector>

#ifdef Q_OS_UNIX
#include <sys/resource.h>
#endif

using namespace chalk;
using namespace chalk::test;

namespace {

const QHostAddress kOtherMachine(QStringLiteral("127.0.0.2"));

// A TCP connection the server closes without a word (refused) within the timeout.
bool isRefused(quint16 port)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(10000))
        return true;
    // Refused at once; a connection merely left alone lasts the 10 s handshake timeout.
    return QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::UnconnectedState; },
                           5000);
}

// The server's log lines (category chalk.server), for the rate-limit test.
QStringList g_log;
QtMessageHandler g_previous = nullptr;
void collect(QtMsgType type, const QMessageLogContext &context, const QString &text)
{
    if (context.category && QByteArray(context.category) == "chalk.server")
        g_log.append(text);
    if (g_previous)
        g_previous(type, context, text);
}

} // namespace

class TestServerConnections : public QObject {
    Q_OBJECT

    TestServer m_server;
    QTemporaryDir m_dir;

private slots:
    void cleanup() { m_server.stop(); }

    void connectionsPerAddressAreCapped()
    {
        const server::ServerOptions options; // default: 32 per address
        QVERIFY(m_server.start(options));
        std::vector<std::unique_ptr<TestClient>> clients;
        for (int i = 0; i < options.maxConnectionsPerAddress; ++i) {
            clients.push_back(std::make_unique<TestClient>());
            QVERIFY2(clients.back()->openAndWelcome(m_server.url()),
                     qPrintable(QString::number(i)));
        }
        QVERIFY(isRefused(m_server.server->port())); // the 33rd
        // Another machine still gets in, and so does this one once a connection closes.
        auto other = rawWebSocketFrom(kOtherMachine, m_server.url());
        QVERIFY(other);
        QVERIFY(QTest::qWaitFor([&] { return m_server.server->sessionCount() == 33; }, 10000));
        clients.front()->close();
        QVERIFY(QTest::qWaitFor([&] { return m_server.server->sessionCount() == 32; }, 10000));
        TestClient again;
        QVERIFY(again.openAndWelcome(m_server.url()));
    }

    void connectionsInAllAreCapped()
    {
        server::ServerOptions options;
        options.maxConnections = 3;
        QVERIFY(m_server.start(options));
        TestClient a, b, c;
        QVERIFY(a.openAndWelcome(m_server.url()));
        QVERIFY(b.openAndWelcome(m_server.url()));
        QVERIFY(c.openAndWelcome(m_server.url()));
        QVERIFY(isRefused(m_server.server->port()));
        QVERIFY(!rawWebSocketFrom(kOtherMachine, m_server.url()));
        a.close();
        QVERIFY(QTest::qWaitFor([&] { return m_server.server->sessionCount() == 2; }, 10000));
        TestClient d;
        QVERIFY(d.openAndWelcome(m_server.url()));
    }

    void acceptingPausesWhenDescriptorsRunOut()
    {
#ifndef Q_OS_UNIX
        QSKIP("RLIMIT_NOFILE is Unix");
#else
        // 48 descriptors and caps above them: accept(2) meets EMFILE. The server must pause,
        // then accept again once descriptors are free (Qt alone stops accepting for good).
        Running r = launchMemory(
            {"--max-connections", "1000", "--max-connections-per-address", "1000"}, [] {
                const rlimit limit{48, 48};
                ::setrlimit(RLIMIT_NOFILE, &limit);
            });
        QVERIFY(r.url.isValid());
        QByteArray err;
        std::vector<std::unique_ptr<QTcpSocket>> filling;
        for (int i = 0; i < 80; ++i) {
            filling.push_back(std::make_unique<QTcpSocket>());
            filling.back()->connectToHost(QHostAddress::LocalHost, quint16(r.url.port()));
        }
        QVERIFY(QTest::qWaitFor(
            [&] {
                err += r.process->readAllStandardError();
                return err.contains("pausing");
            },
            20000));
        filling.clear(); // the server's descriptors come free
        TestClient c;
        QVERIFY(c.openAndWelcome(r.url, 20000));
        QCOMPARE(answerName(c.request("list_rooms")), QStringLiteral("rooms_listed"));
        QVERIFY(stops(r));
#endif
    }

    void silentTlsSocketsDoNotStopAWssClient()
    {
        QVERIFY(m_dir.isValid());
        const TestCertificate made = makeTestCertificate(m_dir);
        if (!made.skipReason.isEmpty())
            QSKIP(qPrintable(made.skipReason));
        QVERIFY2(made.error.isEmpty(), qPrintable(made.error));
        server::ServerOptions options;
        options.tlsCertificate = made.cert;
        options.tlsKey = made.key;
        QVERIFY(m_server.start(options));
        std::vector<std::unique_ptr<QTcpSocket>> silent;
        for (int i = 0; i < 300; ++i) {
            silent.push_back(std::make_unique<QTcpSocket>());
            silent.back()->connectToHost(QHostAddress::LocalHost, m_server.server->port());
        }
        QVERIFY(QTest::qWaitFor(
            [&] {
                return std::all_of(silent.cbegin(), silent.cend(), [](const auto &s) {
                    return s->state() != QAbstractSocket::ConnectingState &&
                           s->state() != QAbstractSocket::HostLookupState;
                });
            },
            20000));
        // A legitimate wss:// client on another machine: TLS, the upgrade, user_created.
        QSslSocket tls;
        QSslConfiguration trusting = QSslConfiguration::defaultConfiguration();
        trusting.setCaCertificates({made.cert});
        tls.setSslConfiguration(trusting);
        QVERIFY(tls.bind(kOtherMachine, 0));
        tls.connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_server.server->port());
        QVERIFY(QTest::qWaitFor([&] { return tls.isEncrypted(); }, 10000));
        tls.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                  "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                  "Sec-WebSocket-Version: 13\r\n\r\n");
        QByteArray got;
        QVERIFY(QTest::qWaitFor(
            [&] {
                got += tls.readAll();
                return got.contains("user_created");
            },
            10000));
        QVERIFY(got.startsWith("HTTP/1.1 101"));
    }

    void tls12OffersOnlyForwardSecrecyAndAead()
    {
        QVERIFY(m_dir.isValid());
        const TestCertificate made = makeTestCertificate(m_dir);
        if (!made.skipReason.isEmpty())
            QSKIP(qPrintable(made.skipReason));
        server::ServerOptions options;
        options.tlsCertificate = made.cert;
        options.tlsKey = made.key;
        QVERIFY(m_server.start(options));
        const auto handshake = [&](const char *cipher) {
            QSslSocket tls;
            QSslConfiguration config = QSslConfiguration::defaultConfiguration();
            config.setCaCertificates({made.cert});
            config.setProtocol(QSsl::TlsV1_2);
            config.setCiphers({QSslCipher(QString::fromLatin1(cipher))});
            tls.setSslConfiguration(config);
            tls.connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_server.server->port());
            (void)QTest::qWaitFor(
                [&] {
                    return tls.isEncrypted() || tls.state() == QAbstractSocket::UnconnectedState;
                },
                10000);
            return tls.isEncrypted();
        };
        for (const char *name : {"AES128-SHA", "ECDHE-RSA-AES128-SHA", "AES128-GCM-SHA256"}) {
            if (QSslCipher(QString::fromLatin1(name)).isNull())
                QSKIP(qPrintable(QStringLiteral("this TLS library does not offer %1 to try")
                                     .arg(QLatin1String(name))));
        }
        QVERIFY(handshake("ECDHE-RSA-AES128-GCM-SHA256"));
        QVERIFY(handshake("ECDHE-RSA-CHACHA20-POLY1305"));
        QVERIFY(!handshake("AES128-SHA"));           // static RSA, CBC
        QVERIFY(!handshake("ECDHE-RSA-AES128-SHA")); // CBC with SHA-1
        QVERIFY(!handshake("AES128-GCM-SHA256"));    // AEAD, but no forward secrecy
    }

    void droppedHandshakesAreLoggedOnceWithACount()
    {
        server::ServerOptions options;
        options.handshakeTimeoutMs = 300;
        options.maxConnectionsPerAddress = 0;
        QVERIFY(m_server.start(options));
        g_log.clear();
        g_previous = qInstallMessageHandler(collect);
        std::vector<std::unique_ptr<QTcpSocket>> silent;
        for (int i = 0; i < 100; ++i) {
            silent.push_back(std::make_unique<QTcpSocket>());
            silent.back()->connectToHost(QHostAddress::LocalHost, m_server.server->port());
        }
        const auto dropped = [&] {
            return std::all_of(silent.cbegin(), silent.cend(), [](const auto &s) {
                return s->state() == QAbstractSocket::UnconnectedState;
            });
        };
        const auto counted = [] {
            return std::any_of(g_log.cbegin(), g_log.cend(),
                               [](const QString &l) { return l.contains("more handshake"); });
        };
        const bool allDropped = QTest::qWaitFor(dropped, 20000);
        const bool summed = QTest::qWaitFor(counted, 10000);
        qInstallMessageHandler(g_previous);
        QVERIFY(allDropped);
        QVERIFY2(summed, qPrintable(g_log.join('\n')));
        const auto lines = std::count_if(g_log.cbegin(), g_log.cend(), [](const QString &l) {
            return l.contains("no WebSocket handshake in time");
        });
        // 100 drops within a few intervals: a line per interval, not per drop.
        QVERIFY2(lines <= 10, qPrintable(g_log.join('\n')));
    }
};

QTEST_GUILESS_MAIN(TestServerConnections)
#include "tst_server_connections.moc"
