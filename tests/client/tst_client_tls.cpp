// wss:// with a certificate made by the test: refused with a clear text while it is not
// trusted, and accepted once the client trusts that certificate on purpose.
#include "client/chat_client.h"
#include "client/settings_store.h"
#include "test_certificate.h"

#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslKey>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocketServer>

using namespace chalk;
using namespace chalk::client;

class TestClientTls : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const test::TestCertificate made = test::makeTestCertificate(m_dir);
        if (!made.skipReason.isEmpty())
            QSKIP(qPrintable(made.skipReason));
        QVERIFY2(made.error.isEmpty(), qPrintable(made.error));
        m_cert = made.cert;
        m_key = made.key;
    }

    void selfSignedIsRefusedUntilTrusted()
    {
        QWebSocketServer server(QStringLiteral("tls"), QWebSocketServer::SecureMode);
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        config.setLocalCertificate(m_cert);
        config.setPrivateKey(m_key);
        server.setSslConfiguration(config);
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        QList<QWebSocket *> sockets;
        connect(&server, &QWebSocketServer::newConnection, this, [&] {
            QWebSocket *s = server.nextPendingConnection();
            sockets << s;
            const protocol::User user{protocol::newUuid(), QStringLiteral("tls-user"), {}};
            s->sendTextMessage(QString::fromUtf8(protocol::encodeResult(
                protocol::Result::UserCreated, {{QStringLiteral("object"), user.toJson()}})));
        });
        QUrl url;
        url.setScheme(QStringLiteral("wss"));
        url.setHost(QStringLiteral("127.0.0.1"));
        url.setPort(server.serverPort());

        ClientOptions options;
        options.backoffMin = std::chrono::milliseconds(50);
        options.backoffMax = std::chrono::milliseconds(200);
        {
            ChatClient strict(std::make_shared<MemorySettingsStore>(), options);
            QSignalSpy sslErrors(&strict, &ChatClient::sslErrors);
            QSignalSpy ready(&strict, &ChatClient::ready);
            strict.connectToServer(url);
            QVERIFY(sslErrors.wait(10000));
            QTRY_VERIFY_WITH_TIMEOUT(strict.stateText().contains(QStringLiteral("certificate")),
                                     10000);
            QCOMPARE(strict.state(), ChatClient::State::Reconnecting);
            QCOMPARE(ready.count(), 0);
            strict.disconnectFromServer();
        }

        ChatClient trusting(std::make_shared<MemorySettingsStore>(), options);
        trusting.trustCertificate(m_cert);
        QSignalSpy ready(&trusting, &ChatClient::ready);
        trusting.connectToServer(url);
        QVERIFY(ready.wait(10000));
        QCOMPARE(trusting.user().name, QStringLiteral("tls-user"));
        QCOMPARE(trusting.state(), ChatClient::State::Connected);
        trusting.disconnectFromServer();
        qDeleteAll(sockets);
    }

private:
    QTemporaryDir m_dir;
    QSslCertificate m_cert;
    QSslKey m_key;
};

QTEST_GUILESS_MAIN(TestClientTls)
#include "tst_client_tls.moc"
