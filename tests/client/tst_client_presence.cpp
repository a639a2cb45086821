// ChatClient and UserListModel with presence, against a real in-process ChatServer: listUsers
// pages through the server's users with their presence (usersListed), presenceChanged tells
// of a room member going offline, and the model's online and last-seen roles follow the frames.
#include "client/chat_client.h"
#include "client/settings_store.h"
#include "client/user_list_model.h"
#include "client_test_support.h"

#include <QSignalSpy>
#include <QTest>

using namespace chalk;
using namespace chalk::client;
using protocol::Room;
using protocol::UserPresence;

namespace {
constexpr int kWait = 10000;

std::unique_ptr<ChatClient> connectedClient(const QUrl &url)
{
    auto c =
        std::make_unique<ChatClient>(std::make_shared<MemorySettingsStore>(), test::fastOptions());
    QSignalSpy ready(c.get(), &ChatClient::ready);
    c->connectToServer(url);
    return ready.wait(kWait) ? std::move(c) : nullptr;
}

bool enter(ChatClient &c, const QString &room)
{
    QSignalSpy entered(&c, &ChatClient::roomEntered);
    return c.enterRoom(room) && entered.wait(kWait);
}

bool rename(ChatClient &c, const QString &name)
{
    QSignalSpy changed(&c, &ChatClient::userChanged);
    return c.changeUserName(name) && changed.wait(kWait);
}

// The next usersListed page of `c` after listUsers(query, after, limit).
std::optional<std::pair<QList<UserPresence>, bool>>
listUsers(ChatClient &c, const QString &query, const QString &after = {}, int limit = 0)
{
    QSignalSpy listed(&c, &ChatClient::usersListed);
    if (!c.listUsers(query, after, limit) || !listed.wait(kWait))
        return std::nullopt;
    return std::pair{listed.first().at(0).value<QList<UserPresence>>(),
                     listed.first().at(1).toBool()};
}

int rowOf(const UserListModel &model, const QString &uuid)
{
    for (int row = 0; row < model.rowCount(); ++row)
        if (model.index(row).data(UserListModel::UuidRole).toString() == uuid)
            return row;
    return -1;
}
} // namespace

class TestClientPresence : public QObject {
    Q_OBJECT
    test::ServerHost host;

private slots:
    void init()
    {
        host.options.presenceIntervalMs = 50;
        // Long enough that a member's presence_changed comes before the room_changed that
        // drops it (the two timers start in the same turn).
        host.options.roomChangeCoalesceMs = 3000;
        QVERIFY(host.start());
    }
    void cleanup()
    {
        host.stop();
        host.replaceStorage();
    }

    void listUsersPagesWithPresence()
    {
        auto ann = connectedClient(host.url());
        auto bob = connectedClient(host.url());
        auto cid = connectedClient(host.url());
        QVERIFY(ann && bob && cid);
        QVERIFY(rename(*bob, "Bérénice"));
        QVERIFY(rename(*cid, "Berenice Two"));
        const QString cidUuid = cid->user().uuid;
        cid->disconnectFromServer();
        QTRY_COMPARE_WITH_TIMEOUT(host.server->sessionCount(), 2, kWait);

        const auto first = listUsers(*ann, "BERENICE", {}, 1);
        QVERIFY(first);
        QCOMPARE(first->first.size(), 1);
        QCOMPARE(first->second, true);
        const UserPresence b = first->first.first();
        QCOMPARE(b.user.uuid, bob->user().uuid);
        QCOMPARE(b.user.name, QString("Bérénice"));
        QVERIFY(b.online);
        QVERIFY(!b.lastSeen.isValid());

        const auto second = listUsers(*ann, "berenice", b.user.uuid, 1);
        QVERIFY(second);
        QCOMPARE(second->second, false);
        QCOMPARE(second->first.size(), 1);
        const UserPresence c = second->first.first();
        QCOMPARE(c.user.uuid, cidUuid);
        QVERIFY(!c.online);
        const auto two = listUsers(*ann, "two");
        QVERIFY(two && two->first.size() == 1);
        QVERIFY(two->first.first().lastSeen.isValid());
    }

    void modelRolesFollowPresenceFrames()
    {
        auto ann = connectedClient(host.url());
        auto bob = connectedClient(host.url());
        QVERIFY(ann && bob);
        UserListModel model(ann.get());
        QSignalSpy created(ann.get(), &ChatClient::roomCreated);
        QVERIFY(ann->createRoom("lobby"));
        QVERIFY(created.wait(kWait));
        const QString room = created.first().first().value<Room>().uuid;
        QVERIFY(enter(*ann, room));
        QVERIFY(enter(*bob, room));
        const QString bobUuid = bob->user().uuid;
        QTRY_VERIFY_WITH_TIMEOUT(rowOf(model, bobUuid) >= 0, kWait);
        QCOMPARE(model.index(rowOf(model, bobUuid)).data(UserListModel::OnlineRole).toBool(), true);
        QVERIFY(model.index(rowOf(model, bobUuid)).data(UserListModel::LastSeenRole).isNull());

        QSignalSpy presence(ann.get(), &ChatClient::presenceChanged);
        QSignalSpy roles(&model, &UserListModel::dataChanged);
        const QDateTime before = QDateTime::currentDateTimeUtc().addMSecs(-1);
        bob->disconnectFromServer();
        QVERIFY(presence.wait(kWait));
        const auto users = presence.first().first().value<QList<UserPresence>>();
        QCOMPARE(users.size(), 1);
        QCOMPARE(users.first().user.uuid, bobUuid);
        QVERIFY(!users.first().online);
        QVERIFY(users.first().lastSeen >= before);
        // The row is still there (its room_changed comes later), now offline with a time.
        const int row = rowOf(model, bobUuid);
        QVERIFY(row >= 0);
        QVERIFY(!roles.isEmpty());
        QCOMPARE(model.index(row).data(UserListModel::OnlineRole).toBool(), false);
        QCOMPARE(model.index(row).data(UserListModel::LastSeenRole).toDateTime(),
                 users.first().lastSeen);
        QTRY_VERIFY_WITH_TIMEOUT(rowOf(model, bobUuid) < 0, kWait);
    }

    void aNewLinkLearnsTheDirectPartnersAsTheyAre()
    {
        const auto annStore = std::make_shared<MemorySettingsStore>();
        auto ann = std::make_unique<ChatClient>(annStore, test::fastOptions());
        QSignalSpy annReady(ann.get(), &ChatClient::ready);
        ann->connectToServer(host.url());
        QVERIFY(annReady.wait(kWait));
        auto bob = connectedClient(host.url());
        QVERIFY(bob);
        const QString bobUuid = bob->user().uuid;
        QSignalSpy entered(ann.get(), &ChatClient::roomEntered);
        QVERIFY(ann->openDirect(bobUuid));
        QVERIFY(entered.wait(kWait));
        bob.reset(); // gone: ann hears it
        QTRY_VERIFY_WITH_TIMEOUT(ann->presence()->state(bobUuid).known &&
                                     !ann->presence()->state(bobUuid).online,
                                 kWait);
        const QDateTime seen = ann->presence()->state(bobUuid).lastSeen;
        QVERIFY(seen.isValid());

        // Ann's app restarts: the new link knows nothing until the server's snapshot says it.
        const QString annUuid = ann->user().uuid;
        ann.reset();
        auto again = std::make_unique<ChatClient>(annStore, test::fastOptions());
        QVERIFY(!again->presence()->state(bobUuid).known);
        QSignalSpy ready(again.get(), &ChatClient::ready);
        again->connectToServer(host.url());
        QVERIFY(ready.wait(kWait));
        QCOMPARE(again->user().uuid, annUuid);
        QTRY_VERIFY_WITH_TIMEOUT(again->presence()->state(bobUuid).known, kWait);
        QVERIFY(!again->presence()->state(bobUuid).online);
        QCOMPARE(again->presence()->state(bobUuid).lastSeen, seen);

        // The link drops: what it said is stale, so it is forgotten.
        host.stop();
        QTRY_VERIFY_WITH_TIMEOUT(!again->presence()->state(bobUuid).known, kWait);
    }
};

QTEST_GUILESS_MAIN(TestClientPresence)
#include "tst_client_presence.moc"
