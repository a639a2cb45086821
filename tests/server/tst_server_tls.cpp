// wss://: the server with a certificate made by the test (openssl), embedded and as the
// chalkroom-server program (--tls-cert/--tls-key). A client that trusts the certificate gets
// user_created over TLS; one that does not is refused; unreadable files exit 1 with a message.
#include "server_steps.h"
#include "test_certificate.h"
#include "test_client.h"
#include "test_server.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSslKey>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace chalk;
using namespace chalk::test;

class TestServerTls : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QSslCertificate m_cert;
    QSslKey m_key;
    TestServer m_server;

    QString certPath() const { return m_dir.filePath(QStringLiteral("cert.pem")); }
    QString keyPath() const { return m_dir.filePath(QStringLiteral("key.pem")); }

    // A client configuration that trusts exactly the test's certificate (as its only CA).
    QSslConfiguration trusting() const
    {
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        config.setCaCertificates({m_cert});
        return config;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const TestCertificate made = makeTestCertificate(m_dir);
        if (!made.skipReason.isEmpty())
            QSKIP(qPrintable(made.skipReason));
        QVERIFY2(made.error.isEmpty(), qPrintable(made.error));
        m_cert = made.cert;
        m_key = made.key;
    }
    void cleanup() { m_server.stop(); }

    void trustingClientIsWelcomedOverWss()
    {
        server::ServerOptions options;
        options.tlsCertificate = m_cert;
        options.tlsKey = m_key;
        QVERIFY(m_server.start(options));
        QCOMPARE(m_server.url().scheme(), QStringLiteral("wss"));
        TestClient c;
        c.socket().setSslConfiguration(trusting());
        QVERIFY(c.openAndWelcome(m_server.url()));
        QVERIFY(!c.userUuid().isEmpty());
        QCOMPARE(answerName(c.request("list_rooms")), QStringLiteral("rooms_listed"));
    }

    void silentHandshakesAreDropped()
    {
        // Neither a TCP connection that never starts TLS, nor one that completes TLS but never
        // sends the WebSocket upgrade, may hold a connection past handshakeTimeoutMs.
        server::ServerOptions options;
        options.tlsCertificate = m_cert;
        options.tlsKey = m_key;
        options.handshakeTimeoutMs = 1000;
        QVERIFY(m_server.start(options));
        QTcpSocket silent;
        silent.connectToHost(QHostAddress::LocalHost, m_server.server->port());
        QVERIFY(silent.waitForConnected(10000));
        QSslSocket encryptedOnly;
        encryptedOnly.setSslConfiguration(trusting());
        encryptedOnly.connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_server.server->port());
        QVERIFY(QTest::qWaitFor([&] { return encryptedOnly.isEncrypted(); }, 10000));
        QVERIFY(QTest::qWaitFor(
            [&] {
                return silent.state() == QAbstractSocket::UnconnectedState &&
                       encryptedOnly.state() == QAbstractSocket::UnconnectedState;
            },
            20000));
        // Others still get in.
        TestClient c;
        c.socket().setSslConfiguration(trusting());
        QVERIFY(c.openAndWelcome(m_server.url()));
    }

    void untrustingClientIsRefused()
    {
        server::ServerOptions options;
        options.tlsCertificate = m_cert;
        options.tlsKey = m_key;
        QVERIFY(m_server.start(options));
        TestClient c; // default CAs: the self-signed certificate is not trusted
        QList<QSslError> errors;
        connect(&c.socket(), &QWebSocket::sslErrors, this,
                [&](const QList<QSslError> &e) { errors = e; });
        QVERIFY(!c.open(m_server.url(), 10000));
        QVERIFY(!errors.isEmpty());
        QCOMPARE(c.count("user_created"), 0);
        // A plain ws:// client gets nothing either.
        QUrl plain = m_server.url();
        plain.setScheme(QStringLiteral("ws"));
        TestClient p;
        QVERIFY(!p.openAndWelcome(plain, 5000));
        // The server still serves a trusting client afterwards.
        TestClient ok;
        ok.socket().setSslConfiguration(trusting());
        QVERIFY(ok.openAndWelcome(m_server.url()));
    }

    void programServesWss()
    {
        QProcess server;
        server.setProgram(QStringLiteral(CHALK_SERVER_EXE));
        server.setArguments({"--port", "0", "--storage", "memory", "--tls-cert", certPath(),
                             "--tls-key", keyPath()});
        server.start();
        QVERIFY(server.waitForStarted(10000));
        QByteArray out;
        QUrl url;
        const QRegularExpression listening(QStringLiteral("listening on (wss://\\S+)"));
        QVERIFY(QTest::qWaitFor(
            [&] {
                out += server.readAllStandardOutput();
                const auto m = listening.match(QString::fromUtf8(out));
                if (m.hasMatch())
                    url = QUrl(m.captured(1));
                return url.isValid() || server.state() == QProcess::NotRunning;
            },
            20000));
        QVERIFY2(url.isValid(), out.constData());
        TestClient c;
        c.socket().setSslConfiguration(trusting());
        QVERIFY(c.openAndWelcome(url));
        server.terminate();
        QVERIFY(server.waitForFinished(20000));
        QCOMPARE(server.exitCode(), 0);
    }

    void programRefusesBadFiles_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("missing cert")
            << QStringList{"--tls-cert", m_dir.filePath("nope.pem"), "--tls-key", keyPath()}
            << "--tls-cert";
        QTest::newRow("key as cert")
            << QStringList{"--tls-cert", keyPath(), "--tls-key", keyPath()} << "no PEM certificate";
        QTest::newRow("cert as key")
            << QStringList{"--tls-cert", certPath(), "--tls-key", certPath()}
            << "no unencrypted PEM private key";
    }

    void programRefusesBadFiles()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        QProcess p;
        p.start(QStringLiteral(CHALK_SERVER_EXE),
                QStringList{"--port", "0", "--storage", "memory"} + args);
        QVERIFY(p.waitForFinished(20000));
        QCOMPARE(p.exitCode(), 1);
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(err.contains(message), qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(TestServerTls)
#include "tst_server_tls.moc"
