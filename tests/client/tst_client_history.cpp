// Messages and history: the message model over a real server -- the newest page on entering,
// older pages prepended by fetchMore, live messages, and the outbox states of own messages.
#include "client/chat_client.h"
#include "client/message_list_model.h"
#include "client/room_list_model.h"
#include "client/settings_store.h"
#include "client_test_support.h"

#include <QCoroTask>
#include <QSignalSpy>
#include <QTest>

using namespace chalk;
using namespace chalk::client;

namespace {
constexpr int kWait = 10000;

QString bodyAt(const MessageListModel &m, int row)
{
    return m.index(row).data(MessageListModel::BodyRole).toString();
}
} // namespace

class TestClientHistory : public QObject {
    Q_OBJECT
private slots:
    void init() {}
    void cleanup()
    {
        host.stop();
        host.replaceStorage(); // every test starts with an empty database
    }

    void pagingPrependsOlderPages()
    {
        // 250 messages stored before the server starts.
        protocol::Room room;
        room.uuid = protocol::newUuid();
        room.name = QStringLiteral("archive");
        room.color = QStringLiteral("#5da247");
        room.created = QDateTime::currentDateTimeUtc().addDays(-1);
        QVERIFY(QCoro::waitFor(host.storage->createRoom(room)));
        const protocol::User author{protocol::newUuid(), QStringLiteral("author"), room.uuid};
        for (int i = 0; i < 250; ++i) {
            protocol::Message m;
            m.uuid = protocol::newUuid();
            m.body = QStringLiteral("m%1").arg(i, 3, 10, QLatin1Char('0'));
            m.user = author;
            m.roomUuid = room.uuid;
            m.created = room.created.addSecs(i);
            QVERIFY(QCoro::waitFor(host.storage->addMessage(m)).has_value());
        }
        QVERIFY(host.start());

        ChatClient client(std::make_shared<MemorySettingsStore>(), test::fastOptions());
        MessageListModel messages(&client);
        messages.setPageSize(100);
        QSignalSpy ready(&client, &ChatClient::ready);
        client.connectToServer(host.url());
        QVERIFY(ready.wait(kWait));
        QVERIFY(!messages.canFetchMore());
        QVERIFY(client.enterRoom(room.uuid));
        // The newest page (50) on entering, oldest first.
        QTRY_COMPARE_WITH_TIMEOUT(messages.rowCount(), 50, kWait);
        QCOMPARE(bodyAt(messages, 0), QStringLiteral("m200"));
        QCOMPARE(bodyAt(messages, 49), QStringLiteral("m249"));
        QVERIFY(messages.hasMore());
        QVERIFY(messages.canFetchMore());

        QSignalSpy inserted(&messages, &QAbstractItemModel::rowsInserted);
        QSignalSpy prepended(&messages, &MessageListModel::pagePrepended);
        messages.fetchMore();
        QVERIFY(!messages.canFetchMore()); // one page at a time
        QVERIFY(prepended.wait(kWait));
        QCOMPARE(prepended.last().at(0).toInt(), 100);
        QCOMPARE(messages.rowCount(), 150);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(inserted.last().at(1).toInt(), 0); // first row: inserted at the top
        QCOMPARE(inserted.last().at(2).toInt(), 99);
        QCOMPARE(bodyAt(messages, 0), QStringLiteral("m100"));
        QCOMPARE(bodyAt(messages, 100), QStringLiteral("m200"));
        QVERIFY(messages.canFetchMore());

        messages.fetchMore();
        QVERIFY(prepended.wait(kWait));
        QCOMPARE(messages.rowCount(), 250);
        QCOMPARE(inserted.last().at(1).toInt(), 0);
        QVERIFY(!messages.hasMore());
        QVERIFY(!messages.canFetchMore()); // the end of the history
        for (int i = 0; i < 250; ++i)
            QCOMPARE(bodyAt(messages, i), QStringLiteral("m%1").arg(i, 3, 10, QLatin1Char('0')));
        QCOMPARE(messages.index(0).data(MessageListModel::SenderNameRole).toString(),
                 QStringLiteral("author"));
        QCOMPARE(messages.index(0).data(MessageListModel::OwnRole).toBool(), false);
        QCOMPARE(messages.index(0).data(MessageListModel::StateRole).toInt(),
                 int(DeliveryState::Stored));

        // A live message goes to the end.
        QVERIFY(!client.sendMessage(QStringLiteral("live")).isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(messages.index(250).data(MessageListModel::StateRole).toInt(),
                                  int(DeliveryState::Stored), kWait);
        QCOMPARE(messages.rowCount(), 251);
        QCOMPARE(bodyAt(messages, 250), QStringLiteral("live"));

        // Leaving the room frees what was loaded.
        QVERIFY(client.leaveRoom());
        QTRY_COMPARE_WITH_TIMEOUT(messages.rowCount(), 0, kWait);
        QCOMPARE(messages.storedCount(), 0);
    }

    void ownMessagesGoPendingSentStored()
    {
        QVERIFY(host.start());
        ChatClient a(std::make_shared<MemorySettingsStore>(), test::fastOptions());
        ChatClient b(std::make_shared<MemorySettingsStore>(), test::fastOptions());
        MessageListModel am(&a), bm(&b);
        RoomListModel rooms(&a);
        QSignalSpy readyA(&a, &ChatClient::ready), readyB(&b, &ChatClient::ready);
        a.connectToServer(host.url());
        b.connectToServer(host.url());
        QVERIFY(readyA.wait(kWait));
        QTRY_COMPARE_WITH_TIMEOUT(readyB.count(), 1, kWait);

        // Without a room there is nowhere to send to.
        QVERIFY(a.sendMessage(QStringLiteral("lost")).isEmpty());

        QVERIFY(a.createRoom(QStringLiteral("talk")));
        QTRY_COMPARE_WITH_TIMEOUT(rooms.rowCount(), 1, kWait);
        const QString uuid = rooms.index(0).data(RoomListModel::UuidRole).toString();
        QVERIFY(a.enterRoom(uuid));
        QVERIFY(b.enterRoom(uuid));
        QTRY_COMPARE_WITH_TIMEOUT(a.currentRoomUuid(), uuid, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(b.currentRoomUuid(), uuid, kWait);

        QSignalSpy states(a.outbox(), &Outbox::entryStateChanged);
        QSignalSpy acked(a.outbox(), &Outbox::entryAcknowledged);
        const QString clientId = a.sendMessage(QStringLiteral("  <b>hello</b>\n"));
        QVERIFY(!clientId.isEmpty());
        // At once: an own row at the end, written to the socket (one tick), not yet stored.
        QCOMPARE(am.rowCount(), 1);
        QCOMPARE(am.index(0).data(MessageListModel::OwnRole).toBool(), true);
        QCOMPARE(am.index(0).data(MessageListModel::ClientIdRole).toString(), clientId);
        QCOMPARE(am.index(0).data(MessageListModel::StateRole).toInt(), int(DeliveryState::Sent));
        QVERIFY(am.index(0).data(MessageListModel::UuidRole).toString().isEmpty());
        QCOMPARE(states.count(), 1);
        // The server's acknowledgement replaces the row in place (still one row).
        QVERIFY(acked.wait(kWait));
        QCOMPARE(am.rowCount(), 1);
        QCOMPARE(am.index(0).data(MessageListModel::StateRole).toInt(), int(DeliveryState::Stored));
        QVERIFY(!am.index(0).data(MessageListModel::UuidRole).toString().isEmpty());
        QCOMPARE(am.index(0).data(MessageListModel::BodyRole).toString(),
                 QStringLiteral("<b>hello</b>"));
        QVERIFY(a.outbox()->isEmpty());
        QVERIFY(a.serverEchoesClientId());

        // The other client sees it once, as not its own.
        QTRY_COMPARE_WITH_TIMEOUT(bm.rowCount(), 1, kWait);
        QCOMPARE(bm.index(0).data(MessageListModel::OwnRole).toBool(), false);
        QCOMPARE(bm.index(0).data(MessageListModel::SenderUuidRole).toString(), a.user().uuid);

        // Order with live messages of others: pending own rows stay at the end.
        for (int i = 0; i < 5; ++i) {
            QVERIFY(!b.sendMessage(QStringLiteral("b%1").arg(i)).isEmpty());
            QVERIFY(!a.sendMessage(QStringLiteral("a%1").arg(i)).isEmpty());
        }
        QTRY_COMPARE_WITH_TIMEOUT(am.storedCount(), 11, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(bm.storedCount(), 11, kWait);
        QCOMPARE(am.pendingCount(), 0);
        for (int i = 0; i < 11; ++i) {
            // Both clients show the server's order.
            QCOMPARE(bodyAt(am, i), bodyAt(bm, i));
        }
        QCOMPARE(host.countStored(uuid, QStringLiteral("a3")), 1);

        // A refused message (too long) leaves the outbox and the model.
        QSignalSpy failed(a.outbox(), &Outbox::entryFailed);
        QVERIFY(!a.sendMessage(QString(5000, QLatin1Char('x'))).isEmpty());
        QCOMPARE(am.pendingCount(), 1);
        QVERIFY(failed.wait(kWait));
        QCOMPARE(failed.first().at(1).toString(), QStringLiteral("data_too_long"));
        QCOMPARE(am.pendingCount(), 0);
        QCOMPARE(am.rowCount(), 11);
    }

private:
    test::ServerHost host;
};

QTEST_GUILESS_MAIN(TestClientHistory)
#include "tst_client_history.moc"
