// Unread counts kept by the server, as ChatClient and RoomListModel show them, against a real
// in-process ChatServer: two devices of one account show the same counts; seeing the newest
// message of the open room marks it read (ReadTracker, debounced), and the other device's
// count follows; one's own messages never count; the message count of the open room stays
// current while messages arrive.
#include "client/chat_client.h"
#include "client/room_list_model.h"
#include "client/settings_store.h"
#include "client_test_support.h"
#include "server/password_hasher.h"

#include <QSignalSpy>
#include <QTest>

using namespace chalk;
using namespace chalk::client;
using protocol::Room;

namespace {
constexpr int kWait = 10000;

struct Device {
    std::unique_ptr<ChatClient> client;
    std::unique_ptr<RoomListModel> rooms;

    qint64 unread(const QString &room) const
    {
        const int row = rooms->indexOf(room);
        return row < 0 ? -1 : rooms->index(row).data(RoomListModel::UnreadRole).toLongLong();
    }
    qint64 sum(const QString &room) const
    {
        const int row = rooms->indexOf(room);
        return row < 0 ? -1 : rooms->index(row).data(RoomListModel::SumRole).toLongLong();
    }
};

Device connectedDevice(const QUrl &url)
{
    ClientOptions options = test::fastOptions();
    options.markReadDelay = std::chrono::milliseconds(50);
    Device d;
    d.client = std::make_unique<ChatClient>(std::make_shared<MemorySettingsStore>(), options);
    d.rooms = std::make_unique<RoomListModel>(d.client.get());
    QSignalSpy ready(d.client.get(), &ChatClient::ready);
    d.client->connectToServer(url);
    if (!ready.wait(kWait))
        d.client.reset();
    return d;
}

bool enter(ChatClient &c, const QString &room)
{
    QSignalSpy listed(&c, &ChatClient::messagesListed);
    return c.enterRoom(room) && listed.wait(kWait);
}

bool leave(ChatClient &c)
{
    QSignalSpy left(&c, &ChatClient::roomLeft);
    return c.leaveRoom() && left.wait(kWait);
}

bool say(ChatClient &c, const QString &body)
{
    QSignalSpy created(&c, &ChatClient::messageCreated);
    return !c.sendMessage(body).isEmpty() && created.wait(kWait);
}
} // namespace

class TestClientUnread : public QObject {
    Q_OBJECT
    test::ServerHost host;

private slots:
    void init()
    {
        host.options.passwordWork = server::PasswordHasher::minimumWork();
        QVERIFY(host.start());
    }
    void cleanup()
    {
        host.stop();
        host.replaceStorage();
    }

    void twoDevicesOfOneAccountAgree()
    {
        Device phone = connectedDevice(host.url());
        Device laptop = connectedDevice(host.url());
        Device writer = connectedDevice(host.url());
        QVERIFY(phone.client && laptop.client && writer.client);
        QSignalSpy registered(phone.client.get(), &ChatClient::registered);
        QVERIFY(phone.client->registerAccount("Ann", "long enough"));
        QVERIFY(registered.wait(kWait));
        QSignalSpy loggedIn(laptop.client.get(), &ChatClient::loggedIn);
        QVERIFY(laptop.client->login("ann", "long enough"));
        QVERIFY(loggedIn.wait(kWait));

        QSignalSpy created(writer.client.get(), &ChatClient::roomCreated);
        QVERIFY(writer.client->createRoom("talk"));
        QVERIFY(created.wait(kWait));
        const QString room = created.first().first().value<Room>().uuid;
        QVERIFY(enter(*writer.client, room));
        QVERIFY(enter(*phone.client, room)); // the account follows the room from here
        QVERIFY(leave(*phone.client));
        QTRY_VERIFY_WITH_TIMEOUT(laptop.rooms->indexOf(room) >= 0, kWait);

        for (int i = 0; i < 3; ++i)
            QVERIFY(say(*writer.client, QString("news %1").arg(i)));
        QTRY_COMPARE_WITH_TIMEOUT(phone.unread(room), 3, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(laptop.unread(room), 3, kWait);
        QVERIFY(laptop.client->serverFeatures().supports(Feature::UnreadCounts));
        QCOMPARE(writer.unread(room), 0); // its own messages

        // The phone opens the room: it sees the newest message and marks it read by itself;
        // the laptop, which is elsewhere, shows 0 too.
        QSignalSpy phoneMarked(phone.client.get(), &ChatClient::unreadChanged);
        QSignalSpy laptopTold(laptop.client.get(), &ChatClient::unreadChanged);
        QVERIFY(enter(*phone.client, room));
        QVERIFY(phoneMarked.wait(kWait));
        QCOMPARE(phoneMarked.last().at(1).toLongLong(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(laptop.unread(room), 0, kWait);
        QCOMPARE(laptopTold.last().at(0).toString(), room);

        // While it stays in the room, what arrives is read as it comes, and its count of
        // messages stays current.
        QVERIFY(say(*writer.client, "more"));
        QTRY_COMPARE_WITH_TIMEOUT(phone.sum(room), 4, kWait);
        QTRY_VERIFY_WITH_TIMEOUT(phoneMarked.size() >= 2, kWait);
        QCOMPARE(phoneMarked.last().at(1).toLongLong(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(laptop.unread(room), 0, kWait);
        const int marks = phoneMarked.size();
        // Its own message is never marked: nothing of it is unread.
        QVERIFY(say(*phone.client, "mine"));
        QTest::qWait(300); // several debounce intervals: nothing may go out
        QCOMPARE(phoneMarked.size(), marks);
        QCOMPARE(writer.unread(room), 0);
    }
};

QTEST_GUILESS_MAIN(TestClientUnread)
#include "tst_client_unread.moc"
