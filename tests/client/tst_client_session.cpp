// ChatClient against a real in-process ChatServer: connecting, rooms in the room model and
// its proxy, users, typing, the request helper, and the log of both directions.
#include "client/chat_client.h"
#include "client/client_settings.h"
#include "client/log_model.h"
#include "client/room_filter_proxy_model.h"
#include "client/room_list_model.h"
#include "client/settings_store.h"
#include "client/typing_tracker.h"
#include "client/user_list_model.h"
#include "client_test_support.h"
#include "protocol/colors.h"

#include <QCoroTask>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace chalk;
using namespace chalk::client;
using protocol::Call;
using protocol::Result;

namespace {
constexpr int kWait = 10000;

struct Peer {
    std::shared_ptr<MemorySettingsStore> store = std::make_shared<MemorySettingsStore>();
    ChatClient client{store, test::fastOptions()};
    RoomListModel rooms{&client};
    UserListModel users{&client};
    LogModel log{&client};

    bool connectTo(const QUrl &url)
    {
        QSignalSpy ready(&client, &ChatClient::ready);
        client.connectToServer(url);
        return ready.wait(kWait);
    }
};

int rowNamed(const QAbstractItemModel &m, const QString &name)
{
    for (int i = 0; i < m.rowCount(); ++i) {
        if (m.index(i, 0).data(RoomListModel::NameRole).toString() == name)
            return i;
    }
    return -1;
}

// `creator` makes rooms "one" and "two"; their uuids once `seer` lists both (empty on a
// time-out).
std::pair<QString, QString> twoRooms(Peer &creator, Peer &seer)
{
    creator.client.createRoom(QStringLiteral("one"));
    creator.client.createRoom(QStringLiteral("two"));
    if (!QTest::qWaitFor([&] { return seer.rooms.rowCount() == 2; }, kWait))
        return {};
    const auto uuid = [&](const char *name) {
        const int row = rowNamed(seer.rooms, QString::fromLatin1(name));
        return row < 0 ? QString() : seer.rooms.index(row).data(RoomListModel::UuidRole).toString();
    };
    return {uuid("one"), uuid("two")};
}
} // namespace

class TestClientSession : public QObject {
    Q_OBJECT
private slots:
    void init() { QVERIFY(host.start()); }
    void cleanup()
    {
        host.stop();
        host.replaceStorage(); // every test starts with an empty database
        host.options.password.clear();
    }

    void connectsAndListsRooms()
    {
        // A room that exists before the client connects must be listed on connect.
        Peer first;
        QVERIFY(first.connectTo(host.url()));
        QVERIFY(first.client.createRoom(QStringLiteral("lobby")));
        QTRY_COMPARE_WITH_TIMEOUT(first.rooms.rowCount(), 1, kWait);

        Peer p;
        QSignalSpy states(&p.client, &ChatClient::stateChanged);
        QSignalSpy listed(&p.client, &ChatClient::roomsListed);
        QSignalSpy user(&p.client, &ChatClient::userChanged);
        QCOMPARE(p.client.state(), ChatClient::State::Disconnected);
        QVERIFY(p.connectTo(host.url()));
        QCOMPARE(p.client.state(), ChatClient::State::Connected);
        QVERIFY(p.client.stateText().startsWith(QStringLiteral("Connected to 127.0.0.1:")));
        QVERIFY(states.count() >= 2); // Connecting, Connected
        QCOMPARE(states.first().at(0).value<ChatClient::State>(), ChatClient::State::Connecting);
        QCOMPARE(user.count(), 1);
        QVERIFY(!p.client.user().uuid.isEmpty());
        QCOMPARE(p.client.user().name, QStringLiteral("user-") + p.client.user().uuid);
        QVERIFY(!client::settings::identityToken.get(*p.store).isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(listed.count(), 1, kWait);
        QCOMPARE(p.rooms.rowCount(), 1);
        QCOMPARE(p.rooms.index(0).data(RoomListModel::NameRole).toString(),
                 QStringLiteral("lobby"));

        p.client.disconnectFromServer();
        QCOMPARE(p.client.state(), ChatClient::State::Disconnected);
        QVERIFY(!p.client.isReady());
        QVERIFY(!p.client.createRoom()); // no link: nothing is sent
    }

    void roomLifecycleInModels()
    {
        Peer a, b;
        QVERIFY(a.connectTo(host.url()));
        QVERIFY(b.connectTo(host.url()));
        QVERIFY(a.client.createRoom(QStringLiteral("Alpha")));
        QTRY_COMPARE_WITH_TIMEOUT(a.rooms.rowCount(), 1, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(b.rooms.rowCount(), 1, kWait); // the other client sees it
        const QString uuid = a.rooms.index(0).data(RoomListModel::UuidRole).toString();
        QVERIFY(!uuid.isEmpty());
        QVERIFY(protocol::isValidColor(a.rooms.index(0).data(RoomListModel::ColorRole).toString()));
        QVERIFY(a.rooms.index(0).data(RoomListModel::CreatedRole).toDateTime().isValid());

        QVERIFY(a.client.changeRoomName(uuid, QStringLiteral("Beta")));
        QTRY_COMPARE_WITH_TIMEOUT(b.rooms.index(0).data(RoomListModel::NameRole).toString(),
                                  QStringLiteral("Beta"), kWait);
        QVERIFY(a.client.changeRoomColor(uuid, QStringLiteral("#123abc")));
        QTRY_COMPARE_WITH_TIMEOUT(b.rooms.index(0).data(RoomListModel::ColorRole).toString(),
                                  QStringLiteral("#123abc"), kWait);

        // Members and the users model.
        QSignalSpy entered(&a.client, &ChatClient::roomEntered);
        QVERIFY(a.client.enterRoom(uuid));
        QVERIFY(entered.wait(kWait));
        QCOMPARE(a.client.currentRoomUuid(), uuid);
        QCOMPARE(a.users.rowCount(), 1);
        QCOMPARE(a.users.index(0).data(UserListModel::IsSelfRole).toBool(), true);
        QTRY_COMPARE_WITH_TIMEOUT(b.rooms.index(0).data(RoomListModel::MemberCountRole).toInt(), 1,
                                  kWait);
        QVERIFY(b.client.enterRoom(uuid));
        QTRY_COMPARE_WITH_TIMEOUT(a.users.rowCount(), 2, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(b.users.rowCount(), 2, kWait);
        int selfRows = 0;
        for (int i = 0; i < b.users.rowCount(); ++i) {
            const bool self = b.users.index(i).data(UserListModel::IsSelfRole).toBool();
            selfRows += self ? 1 : 0;
            if (self)
                QCOMPARE(b.users.index(i).data(UserListModel::UuidRole).toString(),
                         b.client.user().uuid);
        }
        QCOMPARE(selfRows, 1);
        QCOMPARE(a.rooms.index(0).data(RoomListModel::CurrentRole).toBool(), true);

        // Deleting a room with people in it is refused with a clear error.
        QSignalSpy errors(&a.client, &ChatClient::errorReceived);
        QSignalSpy typedErrors(&a.client, &ChatClient::callErrorReceived);
        QVERIFY(a.client.deleteRoom(uuid));
        QVERIFY(errors.wait(kWait));
        QCOMPARE(errors.first().at(0).toString(), QStringLiteral("not_empty_room"));
        QCOMPARE(errors.first().at(2).toString(), QStringLiteral("delete_room"));
        // The same error, typed, for the UI to switch on.
        QCOMPARE(typedErrors.count(), 1);
        const auto typed = typedErrors.first().at(0).value<protocol::CallError>();
        QCOMPARE(typed.error, protocol::Error::NotEmptyRoom);
        QCOMPARE(typed.callName, QStringLiteral("delete_room"));
        QVERIFY(!typed.detail.isEmpty());
        QCOMPARE(b.rooms.rowCount(), 1);

        QSignalSpy left(&a.client, &ChatClient::roomLeft);
        QVERIFY(a.client.leaveRoom());
        QVERIFY(left.wait(kWait));
        QVERIFY(a.client.currentRoomUuid().isEmpty());
        QCOMPARE(a.users.rowCount(), 0);
        QVERIFY(b.client.leaveRoom());
        QTRY_COMPARE_WITH_TIMEOUT(b.users.rowCount(), 0, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(a.rooms.index(0).data(RoomListModel::MemberCountRole).toInt(), 0,
                                  kWait);
        QVERIFY(a.client.deleteRoom(uuid));
        QTRY_COMPARE_WITH_TIMEOUT(a.rooms.rowCount(), 0, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(b.rooms.rowCount(), 0, kWait);
    }

    void unreadCountsGrowOutsideTheCurrentRoom()
    {
        Peer a, b;
        QVERIFY(a.connectTo(host.url()));
        QVERIFY(b.connectTo(host.url()));
        const auto [one, two] = twoRooms(a, b);
        QVERIFY(!one.isEmpty() && !two.isEmpty());
        QSignalSpy entered(&b.client, &ChatClient::roomEntered);
        QVERIFY(b.client.enterRoom(two));
        QVERIFY(entered.wait(kWait));
        QVERIFY(a.client.enterRoom(one));
        QTRY_COMPARE_WITH_TIMEOUT(a.client.currentRoomUuid(), one, kWait);
        for (int i = 0; i < 3; ++i)
            QVERIFY(!a.client.sendMessage(QStringLiteral("ping %1").arg(i)).isEmpty());
        const auto unread = [&](const QString &uuid) {
            return b.rooms.index(b.rooms.indexOf(uuid)).data(RoomListModel::UnreadRole).toInt();
        };
        QTRY_COMPARE_WITH_TIMEOUT(unread(one), 3, kWait);
        QCOMPARE(unread(two), 0);
        QVERIFY(b.client.enterRoom(one)); // looking at it clears the count
        QTRY_COMPARE_WITH_TIMEOUT(b.client.currentRoomUuid(), one, kWait);
        QCOMPARE(unread(one), 0);
    }

    void messagesSeenInTheOpenRoomNeverCountAsUnread()
    {
        // One's own messages, sent in a burst and left at once: the coalesced room_changed
        // that follows must not turn them into unread (it did: a badge of 26 for one's own).
        Peer a, b;
        QVERIFY(a.connectTo(host.url()));
        QVERIFY(b.connectTo(host.url()));
        const auto [one, two] = twoRooms(a, a);
        QVERIFY(!one.isEmpty() && !two.isEmpty());
        QVERIFY(a.client.enterRoom(one));
        QVERIFY(b.client.enterRoom(one));
        QTRY_COMPARE_WITH_TIMEOUT(a.client.currentRoomUuid(), one, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(b.client.currentRoomUuid(), one, kWait);
        const auto row = [](const Peer &p, const QString &uuid) {
            return p.rooms.index(p.rooms.indexOf(uuid));
        };
        QSignalSpy changed(&a.client, &ChatClient::roomChanged);
        QSignalSpy created(&a.client, &ChatClient::messageCreated);
        for (int i = 0; i < 13; ++i) {
            QVERIFY(!a.client.sendMessage(QStringLiteral("mine %1").arg(i)).isEmpty());
            QVERIFY(!b.client.sendMessage(QStringLiteral("theirs %1").arg(i)).isEmpty());
        }
        // The count of the room one is in follows each message as it arrives (room_changed,
        // coalesced, may come later), and leaving at once leaves nothing unread behind.
        QTRY_COMPARE_WITH_TIMEOUT(created.size(), 26, kWait);
        QCOMPARE(row(a, one).data(RoomListModel::SumRole).toInt(), 26);
        QVERIFY(a.client.enterRoom(two));
        QTRY_COMPARE_WITH_TIMEOUT(a.client.currentRoomUuid(), two, kWait);
        // Wait for the server's own count of 26 to arrive, then look.
        QVERIFY(QTest::qWaitFor(
            [&] {
                for (const QList<QVariant> &args : changed) {
                    const auto room = args.at(0).value<protocol::Room>();
                    if (room.uuid == one && room.sum == 26)
                        return true;
                }
                return false;
            },
            kWait));
        QCOMPARE(row(a, one).data(RoomListModel::UnreadRole).toInt(), 0);
        QCOMPARE(row(a, one).data(RoomListModel::SumRole).toInt(), 26);
        // What arrives after leaving counts.
        QVERIFY(!b.client.sendMessage(QStringLiteral("after")).isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(row(a, one).data(RoomListModel::UnreadRole).toInt(), 1, kWait);
    }

    void proxySortsByCreationAndSearches()
    {
        Peer p;
        QVERIFY(p.connectTo(host.url()));
        for (const char *name : {"banana", "Apple", "cherry", "BANDANA"}) {
            QVERIFY(p.client.createRoom(QString::fromLatin1(name)));
            // One at a time, so creation times are ordered as created.
            QTRY_VERIFY_WITH_TIMEOUT(rowNamed(p.rooms, QString::fromLatin1(name)) >= 0, kWait);
            QTest::qWait(5);
        }
        RoomFilterProxyModel proxy;
        proxy.setSourceModel(&p.rooms);
        QCOMPARE(proxy.rowCount(), 4);
        QStringList order;
        for (int i = 0; i < proxy.rowCount(); ++i)
            order << proxy.index(i, 0).data(RoomListModel::NameRole).toString();
        QCOMPARE(order, (QStringList{"banana", "Apple", "cherry", "BANDANA"}));

        proxy.setSearchText(QStringLiteral("an"));
        QCOMPARE(proxy.rowCount(), 2);
        QCOMPARE(proxy.index(0, 0).data(RoomListModel::NameRole).toString(),
                 QStringLiteral("banana"));
        QCOMPARE(proxy.index(1, 0).data(RoomListModel::NameRole).toString(),
                 QStringLiteral("BANDANA"));
        // A rename is filtered live.
        const QString apple = p.rooms.index(rowNamed(p.rooms, QStringLiteral("Apple")))
                                  .data(RoomListModel::UuidRole)
                                  .toString();
        QVERIFY(p.client.changeRoomName(apple, QStringLiteral("Mango")));
        QTRY_COMPARE_WITH_TIMEOUT(proxy.rowCount(), 3, kWait);
        QCOMPARE(proxy.index(1, 0).data(RoomListModel::NameRole).toString(),
                 QStringLiteral("Mango"));
        proxy.setSearchText(QString());
        QCOMPARE(proxy.rowCount(), 4);
    }

    void bigFramesAreDecodedAsideInOrder()
    {
        // A board over 64 KiB is decoded on a worker thread; what comes after it waits, so the
        // statements are handled in the order they came.
        Peer a, b;
        QVERIFY(a.connectTo(host.url()));
        QVERIFY(b.connectTo(host.url()));
        QVERIFY(a.client.createRoom(QStringLiteral("Board")));
        QTRY_COMPARE_WITH_TIMEOUT(a.rooms.rowCount(), 1, kWait);
        const QString uuid = a.rooms.index(0).data(RoomListModel::UuidRole).toString();
        QSignalSpy aEntered(&a.client, &ChatClient::roomEntered);
        QVERIFY(a.client.enterRoom(uuid));
        QVERIFY(aEntered.wait(kWait));
        constexpr int kLines = 40;
        for (int l = 0; l < kLines; ++l) {
            QJsonArray pts;
            for (int i = 0; i < 4000; ++i)
                pts.append(10.5 + (i + l) % 600);
            const auto drawn =
                QCoro::waitFor(a.client.request(Call::ChangeDrawLine,
                                                {{QStringLiteral("uuid"), protocol::newUuid()},
                                                 {QStringLiteral("points"), pts},
                                                 {QStringLiteral("color"), QStringLiteral("#000")},
                                                 {QStringLiteral("tool"), QStringLiteral("pen")}},
                                                Result::DrawLineChanged, std::chrono::seconds(10)));
            QVERIFY(drawn && drawn->type == protocol::Type::Result);
        }
        QStringList order;
        connect(&b.client, &ChatClient::roomEntered, this,
                [&] { order << QStringLiteral("entered"); });
        connect(&b.client, &ChatClient::drawingGot, this, [&](const protocol::Drawing &d) {
            order << QStringLiteral("drawing %1").arg(d.lines.size());
        });
        connect(&b.client, &ChatClient::roomsListed, this,
                [&] { order << QStringLiteral("rooms"); });
        QVERIFY(b.client.enterRoom(uuid));
        QTRY_COMPARE_WITH_TIMEOUT(order.size(), 2, kWait); // entered, then the board
        // A burst: each board answer is followed at once by a small one.
        QVERIFY(b.client.sendCall(Call::GetDrawing));
        QVERIFY(b.client.sendCall(Call::ListRooms));
        QVERIFY(b.client.sendCall(Call::GetDrawing));
        QVERIFY(b.client.sendCall(Call::ListRooms));
        QTRY_COMPARE_WITH_TIMEOUT(order.size(), 6, kWait);
        const QString board = QStringLiteral("drawing %1").arg(kLines);
        QCOMPARE(order, (QStringList{QStringLiteral("entered"), board, board,
                                     QStringLiteral("rooms"), board, QStringLiteral("rooms")}));
    }

    void requestHelperMatchesAnswersAndErrors()
    {
        Peer p;
        QVERIFY(p.connectTo(host.url()));
        const auto listed = QCoro::waitFor(
            p.client.request(Call::ListRooms, {}, Result::RoomsListed, std::chrono::seconds(10)));
        QVERIFY(listed.has_value());
        QCOMPARE(listed->message, QStringLiteral("rooms_listed"));
        QVERIFY(p.client.serverEchoesClientId());

        // An error answers the request too (matched by the echoed client_id).
        const auto refused =
            QCoro::waitFor(p.client.request(Call::ChangeColor,
                                            {{QStringLiteral("uuid"), protocol::newUuid()},
                                             {QStringLiteral("color"), QStringLiteral("red")}},
                                            Result::RoomChanged, std::chrono::seconds(10)));
        QVERIFY(refused.has_value());
        QCOMPARE(refused->type, protocol::Type::Error);
        QCOMPARE(refused->message, QStringLiteral("not_valid_color"));

        const auto renamed = QCoro::waitFor(p.client.request(
            Call::ChangeUserName, {{QStringLiteral("name"), QStringLiteral("Ada")}},
            Result::UserChanged, std::chrono::seconds(10)));
        QVERIFY(renamed.has_value());
        QCOMPARE(renamed->message, QStringLiteral("user_changed"));
        QCOMPARE(p.client.user().name, QStringLiteral("Ada"));

        // No link: resolves at once with nothing.
        p.client.disconnectFromServer();
        const auto none = QCoro::waitFor(
            p.client.request(Call::ListRooms, {}, Result::RoomsListed, std::chrono::seconds(10)));
        QVERIFY(!none.has_value());
    }

    void requestTimesOutWhenNoAnswerComes()
    {
        Peer p;
        QVERIFY(p.connectTo(host.url()));
        // leave_room outside a room: the error is the answer.
        const auto err = QCoro::waitFor(
            p.client.request(Call::LeaveRoom, {}, Result::RoomLeft, std::chrono::seconds(10)));
        QVERIFY(err.has_value());
        QCOMPARE(err->type, protocol::Type::Error);
        // typing in a room is answered to nobody but the others: waiting for a result the
        // server never sends ends with nothing when the timeout passes.
        QVERIFY(p.client.createRoom(QStringLiteral("t")));
        QTRY_COMPARE_WITH_TIMEOUT(p.rooms.rowCount(), 1, kWait);
        QVERIFY(p.client.enterRoom(p.rooms.index(0).data(RoomListModel::UuidRole).toString()));
        QTRY_VERIFY_WITH_TIMEOUT(!p.client.currentRoomUuid().isEmpty(), kWait);
        const auto nothing = QCoro::waitFor(p.client.request(
            Call::Typing, {}, Result::Authenticated, std::chrono::milliseconds(300)));
        QVERIFY(!nothing.has_value());
    }

    void typingNoticesExpire()
    {
        Peer a, b;
        QVERIFY(a.connectTo(host.url()));
        QVERIFY(b.connectTo(host.url()));
        QVERIFY(a.client.createRoom(QStringLiteral("chat")));
        QTRY_COMPARE_WITH_TIMEOUT(b.rooms.rowCount(), 1, kWait);
        const QString uuid = b.rooms.index(0).data(RoomListModel::UuidRole).toString();
        QVERIFY(a.client.enterRoom(uuid));
        QVERIFY(b.client.enterRoom(uuid));
        QTRY_COMPARE_WITH_TIMEOUT(a.client.currentRoomUuid(), uuid, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(b.client.currentRoomUuid(), uuid, kWait);
        TypingTracker tracker(&b.client, std::chrono::milliseconds(300));
        QSignalSpy changed(&tracker, &TypingTracker::changed);
        QVERIFY(a.client.sendTyping());
        QTRY_COMPARE_WITH_TIMEOUT(tracker.names(), QStringList{a.client.user().name}, kWait);
        QVERIFY(tracker.text().contains(a.client.user().name));
        // It expires by itself.
        QTRY_VERIFY_WITH_TIMEOUT(tracker.names().isEmpty(), kWait);
        QVERIFY(changed.count() >= 2);
        // The own typing is never listed.
        TypingTracker own(&a.client);
        QVERIFY(b.client.sendTyping());
        QTRY_COMPARE_WITH_TIMEOUT(own.names().size(), 1, kWait);
        QCOMPARE(own.names().first(), b.client.user().name);
        // A message from the typist ends the notice.
        QVERIFY(!b.client.sendMessage(QStringLiteral("done")).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(own.names().isEmpty(), kWait);
    }

    void aServerWithAPasswordIsAskedForIt()
    {
        host.stop();
        host.options.password = QStringLiteral("open sesame");
        QVERIFY(host.start());
        Peer p;
        QSignalSpy asked(&p.client, &ChatClient::passwordRequired);
        QSignalSpy ready(&p.client, &ChatClient::ready);
        p.client.connectToServer(host.url());
        QVERIFY(asked.wait(kWait));
        QVERIFY(!p.client.isReady());
        QVERIFY(p.client.authenticate(QStringLiteral("wrong")));
        QTRY_COMPARE_WITH_TIMEOUT(asked.count(), 2, kWait); // refused: asked again
        QVERIFY(!p.client.isReady());
        QVERIFY(p.client.authenticate(QStringLiteral("open sesame")));
        QVERIFY(ready.wait(kWait));
        QVERIFY(!p.client.user().uuid.isEmpty());
        QVERIFY(p.client.serverFeatures().supports(Feature::ResumeToken));
        for (int i = 0; i < p.log.rowCount(); ++i) // the password never reaches the log
            QVERIFY(!p.log.index(i)
                         .data(LogModel::RawRole)
                         .toString()
                         .contains(QStringLiteral("sesame")));
    }

    void logRecordsBothDirectionsWithoutSecrets()
    {
        Peer p;
        QVERIFY(p.connectTo(host.url()));
        QVERIFY(p.client.createRoom(QStringLiteral("logged")));
        QTRY_COMPARE_WITH_TIMEOUT(p.rooms.rowCount(), 1, kWait);
        bool sawSent = false, sawReceived = false;
        for (int i = 0; i < p.log.rowCount(); ++i) {
            const QModelIndex idx = p.log.index(i);
            const auto dir = ChatClient::Direction(idx.data(LogModel::DirectionRole).toInt());
            const QString name = idx.data(LogModel::NameRole).toString();
            const QString raw = idx.data(LogModel::RawRole).toString();
            QVERIFY(idx.data(LogModel::TimeRole).toDateTime().isValid());
            if (dir == ChatClient::Direction::Sent && name == QLatin1String("create_room")) {
                sawSent = true;
                QCOMPARE(idx.data(LogModel::TypeRole).toString(), QStringLiteral("call"));
                QVERIFY(raw.contains(QLatin1String("\"logged\"")));
            }
            if (dir == ChatClient::Direction::Received && name == QLatin1String("user_created")) {
                sawReceived = true;
                QCOMPARE(idx.data(LogModel::TypeRole).toString(), QStringLiteral("result"));
                // The resume token is a secret: never in the log.
                const QString token = client::settings::identityToken.get(*p.store);
                QVERIFY(!token.isEmpty());
                QVERIFY(!raw.contains(token));
            }
        }
        QVERIFY(sawSent);
        QVERIFY(sawReceived);

        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("log.txt"));
        QVERIFY(p.log.saveToFile(path));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = f.readAll().split('\n');
        QCOMPARE(lines.size() - 1, p.log.rowCount());
        QVERIFY(lines.first().contains("<- result user_created"));
        QVERIFY(!p.log.saveToFile(dir.filePath(QStringLiteral("no/such/dir/log.txt"))));
    }

private:
    test::ServerHost host;
};

QTEST_GUILESS_MAIN(TestClientSession)
#include "tst_client_session.moc"
