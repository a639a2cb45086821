// No lost messages across a server crash: two clients keep sending while the
// chalkroom-server process (SQLite) is killed with SIGKILL and started again on the same port
// and database. Every message acknowledged before the kill must be in the history exactly
// once, and every one not acknowledged must arrive after the reconnect, exactly once.
#include "client/chat_client.h"
#include "client/message_list_model.h"
#include "client/settings_store.h"

#include <QHash>
#include <QProcess>
#include <QSet>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace chalk;
using namespace chalk::client;
using namespace std::chrono_literals;

namespace {
constexpr int kPerClient = 60;

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

ClientOptions options()
{
    ClientOptions o;
    o.backoffMin = 50ms;
    o.backoffMax = 300ms;
    o.retryDelay = 200ms;
    return o;
}
} // namespace

class TestClientCrash : public QObject {
    Q_OBJECT
private slots:
    void killedServerLosesNothingAndDuplicatesNothing()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const quint16 port = freePort();
        const QString db = dir.filePath(QStringLiteral("chalk.db"));
        const QStringList args{QStringLiteral("--port"), QString::number(port),
                               QStringLiteral("--storage"), QStringLiteral("sqlite:") + db};
        QProcess server;
        server.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        server.start(QStringLiteral(CHALK_SERVER_EXE), args);
        QVERIFY(server.waitForStarted(10000));

        QUrl url;
        url.setScheme(QStringLiteral("ws"));
        url.setHost(QStringLiteral("127.0.0.1"));
        url.setPort(port);
        ChatClient a(std::make_shared<MemorySettingsStore>(), options());
        ChatClient b(std::make_shared<MemorySettingsStore>(), options());
        QSignalSpy readyA(&a, &ChatClient::ready), readyB(&b, &ChatClient::ready);
        a.connectToServer(url); // retries until the process listens
        b.connectToServer(url);
        QTRY_VERIFY_WITH_TIMEOUT(readyA.count() == 1 && readyB.count() == 1, 20000);
        const QString uuidA = a.user().uuid;

        QSignalSpy created(&a, &ChatClient::roomCreated);
        QVERIFY(a.createRoom(QStringLiteral("crash")));
        QVERIFY(created.wait(10000));
        const QString room = created.first().at(0).value<protocol::Room>().uuid;
        QVERIFY(a.enterRoom(room));
        QVERIFY(b.enterRoom(room));
        QTRY_VERIFY_WITH_TIMEOUT(a.currentRoomUuid() == room && b.currentRoomUuid() == room, 10000);

        // Acknowledged bodies, as the outbox reports them.
        QSet<QString> acked;
        for (ChatClient *c : {&a, &b}) {
            connect(c->outbox(), &Outbox::entryAcknowledged, this,
                    [&acked](const OutboxEntry &e) { acked.insert(e.body); });
        }
        QStringList all;
        int sent = 0;
        QTimer pump;
        pump.setInterval(25);
        connect(&pump, &QTimer::timeout, this, [&] {
            if (sent >= kPerClient) {
                pump.stop();
                return;
            }
            for (ChatClient *c : {&a, &b}) {
                const QString body = QStringLiteral("%1-%2").arg(c == &a ? 'A' : 'B').arg(sent);
                QVERIFY(!c->sendMessage(body).isEmpty());
                all << body;
            }
            ++sent;
        });
        pump.start();

        // Mid-stream: SIGKILL, no goodbye, no flush.
        QTRY_VERIFY_WITH_TIMEOUT(acked.size() >= 30, 20000);
        server.kill();
        QVERIFY(server.waitForFinished(10000));
        const QSet<QString> ackedBeforeKill = acked;
        QVERIFY(ackedBeforeKill.size() < 2 * kPerClient);
        QTest::qWait(300); // the clients keep writing into their outboxes meanwhile

        server.start(QStringLiteral(CHALK_SERVER_EXE), args);
        QVERIFY(server.waitForStarted(10000));
        QTRY_VERIFY_WITH_TIMEOUT(sent == kPerClient, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(a.outbox()->isEmpty() && b.outbox()->isEmpty(), 30000);
        QCOMPARE(acked.size(), 2 * kPerClient);
        QCOMPARE(a.user().uuid, uuidA); // resumed from the database

        // The whole history, read by a new client page by page.
        ChatClient reader(std::make_shared<MemorySettingsStore>(), options());
        MessageListModel history(&reader);
        history.setPageSize(200);
        QSignalSpy readyR(&reader, &ChatClient::ready);
        reader.connectToServer(url);
        QVERIFY(readyR.wait(10000));
        QVERIFY(reader.enterRoom(room));
        QTRY_VERIFY_WITH_TIMEOUT(history.rowCount() > 0, 10000);
        while (history.hasMore()) {
            QSignalSpy page(&history, &MessageListModel::pagePrepended);
            QVERIFY(history.canFetchMore());
            history.fetchMore();
            QVERIFY(page.wait(10000));
        }
        QHash<QString, int> counts;
        for (int i = 0; i < history.rowCount(); ++i)
            ++counts[history.index(i).data(MessageListModel::BodyRole).toString()];
        for (const QString &body : std::as_const(all))
            QVERIFY2(counts.value(body) == 1,
                     qPrintable(QStringLiteral("%1 stored %2 times (acked before the kill: %3)")
                                    .arg(body)
                                    .arg(counts.value(body))
                                    .arg(ackedBeforeKill.contains(body))));
        QCOMPARE(history.rowCount(), 2 * kPerClient);
        // Each sender's messages are in the order they were written.
        for (const QChar who : {QLatin1Char('A'), QLatin1Char('B')}) {
            int last = -1;
            for (int i = 0; i < history.rowCount(); ++i) {
                const QString body = history.index(i).data(MessageListModel::BodyRole).toString();
                if (body.startsWith(who)) {
                    const int n = body.mid(2).toInt();
                    QVERIFY2(n > last, qPrintable(body));
                    last = n;
                }
            }
        }
        qInfo("acknowledged before the kill: %d of %d", int(ackedBeforeKill.size()),
              2 * kPerClient);

        a.disconnectFromServer();
        b.disconnectFromServer();
        reader.disconnectFromServer();
        server.terminate();
        QVERIFY(server.waitForFinished(10000));
    }
};

QTEST_GUILESS_MAIN(TestClientCrash)
#include "tst_client_crash.moc"
