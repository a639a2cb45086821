// ChatClient's direct conversations against a real in-process ChatServer: openDirect enters
// the one room of two users (the same for both, announced to the other with roomCreated),
// blockUser keeps the other from opening it or writing (a typed `blocked` error), and
// unblockUser lifts that.
#include "client/chat_client.h"
#include "client/settings_store.h"
#include "client_test_support.h"

#include <QSignalSpy>
#include <QTest>

using namespace chalk;
using namespace chalk::client;
using protocol::CallError;
using protocol::Error;
using protocol::Room;

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

// The room `c` enters after openDirect(userUuid); empty on failure.
Room openDirect(ChatClient &c, const QString &userUuid)
{
    QSignalSpy entered(&c, &ChatClient::roomEntered);
    if (!c.openDirect(userUuid) || !entered.wait(kWait))
        return {};
    return entered.first().first().value<Room>();
}

// The typed error the client reports after `call`.
std::optional<CallError> nextError(ChatClient &c, const std::function<bool()> &call)
{
    QSignalSpy errors(&c, &ChatClient::callErrorReceived);
    if (!call() || !errors.wait(kWait))
        return std::nullopt;
    return errors.first().first().value<CallError>();
}
} // namespace

class TestClientDirect : public QObject {
    Q_OBJECT
    test::ServerHost host;

private slots:
    void init() { QVERIFY(host.start()); }
    void cleanup()
    {
        host.stop();
        host.replaceStorage();
    }

    void bothSidesOpenTheSameRoom()
    {
        auto ann = connectedClient(host.url());
        auto bob = connectedClient(host.url());
        QVERIFY(ann && bob);
        QSignalSpy bobHears(bob.get(), &ChatClient::roomCreated);
        const Room room = openDirect(*ann, bob->user().uuid);
        QVERIFY(!room.uuid.isEmpty());
        QVERIFY(room.isDirect());
        QVERIFY(room.members.contains(ann->user().uuid));
        QVERIFY(room.members.contains(bob->user().uuid));
        QTRY_VERIFY_WITH_TIMEOUT(!bobHears.isEmpty(), kWait);
        QCOMPARE(bobHears.first().first().value<Room>().uuid, room.uuid);
        QCOMPARE(openDirect(*bob, ann->user().uuid).uuid, room.uuid);
        QCOMPARE(bob->currentRoomUuid(), room.uuid);
    }

    void blockAndUnblock()
    {
        auto ann = connectedClient(host.url());
        auto bob = connectedClient(host.url());
        QVERIFY(ann && bob);
        const QString bobUuid = bob->user().uuid;
        QSignalSpy blocked(ann.get(), &ChatClient::userBlocked);
        QVERIFY(ann->blockUser(bobUuid));
        QVERIFY(blocked.wait(kWait));
        QCOMPARE(blocked.first().first().toString(), bobUuid);
        const auto refused = nextError(*bob, [&] { return bob->openDirect(ann->user().uuid); });
        QVERIFY(refused);
        QCOMPARE(refused->error, Error::Blocked);

        QSignalSpy unblocked(ann.get(), &ChatClient::userUnblocked);
        QVERIFY(ann->unblockUser(bobUuid));
        QVERIFY(unblocked.wait(kWait));
        QCOMPARE(unblocked.first().first().toString(), bobUuid);
        QVERIFY(!openDirect(*bob, ann->user().uuid).uuid.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestClientDirect)
#include "tst_client_direct.moc"
