// ChatClient with a server full of rooms (issue 14, "the welcome is never backlog"): the
// server greets with the first page of rooms_listed and the client asks for the rest; the room
// model gets the whole list once, in creation order, with what changed while the pages came
// (a room deleted, one renamed, even the room a page was to start after) applied.
#include "client/chat_client.h"
#include "client/room_list_model.h"
#include "client/settings_store.h"
#include "client_test_support.h"
#include "test_client.h"

#include <QCoroTask>
#include <QSignalSpy>
#include <QTest>
#include <QUuid>

using namespace chalk;
using namespace chalk::client;

namespace {
constexpr int kWait = 10000;

QStringList seedRooms(server::Storage &storage, int count)
{
    QStringList uuids;
    const QDateTime start = QDateTime::currentDateTimeUtc().addDays(-1);
    for (int i = 0; i < count; ++i) {
        protocol::Room room;
        room.uuid = QUuid::createUuid().toString(QUuid::WithoutBraces);
        room.name = QStringLiteral("room %1").arg(i);
        room.color = QStringLiteral("#336699");
        room.created = start.addMSecs(i);
        if (!QCoro::waitFor(storage.createRoom(room)))
            return {};
        uuids << room.uuid;
    }
    return uuids;
}

QStringList modelUuids(const RoomListModel &model)
{
    QStringList uuids;
    for (int row = 0; row < model.rowCount(); ++row)
        uuids << model.index(row).data(RoomListModel::UuidRole).toString();
    return uuids;
}
} // namespace

class TestClientRooms : public QObject {
    Q_OBJECT
    test::ServerHost host;

private slots:
    void init() { host.replaceStorage(); }
    void cleanup() { host.stop(); }

    void aLongListArrivesWholeAndOnce()
    {
        const protocol::Limits limits;
        const QStringList seeded = seedRooms(*host.storage, 2 * limits.roomPageDefault + 234);
        QVERIFY(!seeded.isEmpty());
        QVERIFY(host.start());
        ChatClient client(std::make_shared<MemorySettingsStore>(), test::fastOptions());
        RoomListModel rooms(&client);
        QSignalSpy listed(&client, &ChatClient::roomsListed);
        client.connectToServer(host.url());
        QVERIFY(listed.wait(kWait));
        QCOMPARE(modelUuids(rooms), seeded);
        // Once: the model was never shown a part of the list.
        QTest::qWait(200);
        QCOMPARE(listed.size(), 1);
        // Asked again, the same list comes (paged again).
        QVERIFY(client.listRooms());
        QVERIFY(listed.wait(kWait));
        QCOMPARE(modelUuids(rooms), seeded);
    }

    void changesWhilePagingAreApplied()
    {
        const protocol::Limits limits;
        const int page = limits.roomPageDefault;
        const QStringList seeded = seedRooms(*host.storage, 3 * page + 10);
        QVERIFY(!seeded.isEmpty());
        QVERIFY(host.start());
        test::TestClient other;
        QVERIFY(other.openAndWelcome(host.url()));

        ChatClient client(std::make_shared<MemorySettingsStore>(), test::fastOptions());
        RoomListModel rooms(&client);
        QSignalSpy listed(&client, &ChatClient::roomsListed);
        // As soon as the first page is in: a room of it deleted, one renamed, and the room
        // the second page ends with (the next page's cursor) deleted too.
        bool acted = false;
        connect(&client, &ChatClient::envelopeReceived, this, [&](const protocol::Envelope &e) {
            if (acted || e.message != QLatin1String("rooms_listed"))
                return;
            acted = true;
            other.call("delete_room", {{"uuid", seeded[10]}});
            other.call("change_name", {{"uuid", seeded[20]}, {"name", "renamed"}});
            other.call("delete_room", {{"uuid", seeded[2 * page - 1]}});
        });
        client.connectToServer(host.url());
        QVERIFY(listed.wait(kWait));
        QVERIFY(acted);
        QStringList expected = seeded;
        expected.removeAll(seeded[10]);
        expected.removeAll(seeded[2 * page - 1]);
        QTRY_COMPARE_WITH_TIMEOUT(modelUuids(rooms), expected, kWait);
        const int renamed = int(modelUuids(rooms).indexOf(seeded[20]));
        QTRY_COMPARE_WITH_TIMEOUT(rooms.index(renamed).data(RoomListModel::NameRole).toString(),
                                  QStringLiteral("renamed"), kWait);
    }
};

QTEST_GUILESS_MAIN(TestClientRooms)
#include "tst_client_rooms.moc"
