// Connection life over real sockets: the server stops and a new one starts on the same port
// (resume keeps the identity, the client re-enters its room and fills what it missed), the
// outbox delivers what was written offline exactly once, a lost acknowledgement does not
// store a message twice, and a server that stops answering is detected by the heartbeat
// (on a clock the test moves: test::ManualClock).
#include "client/chat_client.h"
#include "client/client_settings.h"
#include "client/message_list_model.h"
#include "client/room_list_model.h"
#include "client/settings_store.h"
#include "client_test_support.h"
#include "manual_clock.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocketServer>

using namespace chalk;
using namespace chalk::client;
using namespace std::chrono_literals;

namespace {
constexpr int kWait = 15000;

struct Peer {
    explicit Peer(ClientOptions options = test::fastOptions())
        : client(store, options)
    {}
    std::shared_ptr<MemorySettingsStore> store = std::make_shared<MemorySettingsStore>();
    ChatClient client;
    RoomListModel rooms{&client};
    MessageListModel messages{&client};

    bool connectTo(const QUrl &url)
    {
        QSignalSpy ready(&client, &ChatClient::ready);
        client.connectToServer(url);
        if (ready.wait(kWait))
            return true;
        qWarning() << "not ready:" << client.stateText();
        return false;
    }
    // Creates a room and enters it; returns its uuid.
    QString enterNewRoom(const QString &name)
    {
        QSignalSpy created(&client, &ChatClient::roomCreated);
        client.createRoom(name);
        if (!created.wait(kWait))
            return {};
        const QString uuid = created.first().at(0).value<protocol::Room>().uuid;
        QSignalSpy entered(&client, &ChatClient::roomEntered);
        client.enterRoom(uuid);
        return entered.wait(kWait) ? uuid : QString();
    }
    int rowsWithBody(const QString &body) const
    {
        int n = 0;
        for (int i = 0; i < messages.rowCount(); ++i)
            n += messages.index(i).data(MessageListModel::BodyRole).toString() == body ? 1 : 0;
        return n;
    }
};
} // namespace

class TestClientReconnect : public QObject {
    Q_OBJECT
private slots:
    void cleanup()
    {
        host.stop();
        host.replaceStorage(); // every test starts with an empty database
    }

    void restartResumesReentersAndDeliversOutboxOnce()
    {
        QVERIFY(host.start());
        const quint16 port = host.port();
        Peer p;
        QVERIFY(p.connectTo(host.url()));
        const protocol::User before = p.client.user();
        const QString room = p.enterNewRoom(QStringLiteral("steady"));
        QVERIFY(!room.isEmpty());
        QVERIFY(!p.client.sendMessage(QStringLiteral("before")).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(p.client.outbox()->isEmpty(), kWait);

        QSignalSpy states(&p.client, &ChatClient::stateChanged);
        host.stop();
        QTRY_COMPARE_WITH_TIMEOUT(p.client.state(), ChatClient::State::Reconnecting, kWait);
        QVERIFY(p.client.stateText().startsWith(QStringLiteral("Connection lost")));
        QVERIFY(p.client.stateText().contains(QStringLiteral(", retrying in ")));
        qInfo() << p.client.stateText();
        QVERIFY(p.client.currentRoomUuid().isEmpty());
        QCOMPARE(p.client.wantedRoomUuid(), room);

        // Written while offline: queued, shown as pending, in order.
        QStringList offline;
        for (int i = 0; i < 3; ++i) {
            offline << QStringLiteral("offline %1").arg(i);
            QVERIFY(!p.client.sendMessage(offline.last()).isEmpty());
        }
        QCOMPARE(p.client.outbox()->size(), 3);
        QCOMPARE(p.messages.pendingCount(), 3);
        QCOMPARE(
            p.messages.index(p.messages.rowCount() - 1).data(MessageListModel::StateRole).toInt(),
            int(DeliveryState::Pending));
        // A few failed attempts with backoff while the server is away.
        QTest::qWait(300);

        // Another client writes while we are away: reloading the newest page fills it in.
        QVERIFY(host.start(port));
        Peer other;
        QVERIFY(other.connectTo(host.url()));
        QSignalSpy otherEntered(&other.client, &ChatClient::roomEntered);
        QVERIFY(other.client.enterRoom(room));
        QVERIFY(otherEntered.wait(kWait));

        QSignalSpy ready(&p.client, &ChatClient::ready);
        QTRY_VERIFY_WITH_TIMEOUT(ready.count() >= 1, kWait);
        QCOMPARE(p.client.state(), ChatClient::State::Connected);
        QCOMPARE(p.client.user().uuid, before.uuid); // resumed: the same identity
        QVERIFY(p.client.resumeSupported());
        QTRY_COMPARE_WITH_TIMEOUT(p.client.currentRoomUuid(), room, kWait); // re-entered
        QTRY_VERIFY_WITH_TIMEOUT(p.client.outbox()->isEmpty(), kWait);
        for (const QString &body : offline)
            QCOMPARE(host.countStored(room, body), 1);
        QCOMPARE(host.countStored(room, QStringLiteral("before")), 1);
        // In the order they were written.
        const QList<protocol::Message> stored = host.history(room);
        QStringList bodies;
        for (const protocol::Message &m : stored)
            bodies << m.body;
        QCOMPARE(bodies, (QStringList{"before"} + offline));
        // The model: one row each, all stored.
        QTRY_COMPARE_WITH_TIMEOUT(p.messages.storedCount(), 4, kWait);
        QCOMPARE(p.messages.pendingCount(), 0);
        for (const QString &body : offline)
            QCOMPARE(p.rowsWithBody(body), 1);

        // What others wrote while we were away arrives with the newest page after re-entering
        // (sent now, then we drop and come back).
        QVERIFY(!other.client.sendMessage(QStringLiteral("while away")).isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(p.rowsWithBody(QStringLiteral("while away")), 1, kWait);
        host.stop();
        QTRY_COMPARE_WITH_TIMEOUT(p.client.state(), ChatClient::State::Reconnecting, kWait);
        QVERIFY(host.start(port));
        QVERIFY(other.connectTo(host.url()));
        QVERIFY(other.client.enterRoom(room));
        QTRY_COMPARE_WITH_TIMEOUT(other.client.currentRoomUuid(), room, kWait);
        QVERIFY(!other.client.sendMessage(QStringLiteral("missed 1")).isEmpty());
        QVERIFY(!other.client.sendMessage(QStringLiteral("missed 2")).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(other.client.outbox()->isEmpty(), kWait);
        QTRY_COMPARE_WITH_TIMEOUT(p.client.currentRoomUuid(), room, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(p.rowsWithBody(QStringLiteral("missed 2")), 1, kWait);
        QCOMPARE(p.rowsWithBody(QStringLiteral("missed 1")), 1);
        QCOMPARE(p.rowsWithBody(QStringLiteral("while away")), 1);
        QCOMPARE(p.messages.storedCount(), 7);
    }

    void lostAcknowledgementIsStoredOnce()
    {
        QVERIFY(host.start());
        test::TcpProxy proxy(host.port());
        Peer p;
        QVERIFY(p.connectTo(proxy.url()));
        const QString room = p.enterNewRoom(QStringLiteral("lossy"));
        QVERIFY(!room.isEmpty());
        Peer watcher; // in the room, directly: sees what the server stored
        QVERIFY(watcher.connectTo(host.url()));
        QVERIFY(watcher.client.enterRoom(room));
        QTRY_COMPARE_WITH_TIMEOUT(watcher.client.currentRoomUuid(), room, kWait);
        QSignalSpy seen(&watcher.client, &ChatClient::messageCreated);

        // The server's answers are lost from now on: the message is stored, the ack never comes.
        proxy.dropDownstream(true);
        const QString clientId = p.client.sendMessage(QStringLiteral("once only"));
        QVERIFY(seen.wait(kWait));
        QCOMPARE(host.countStored(room, QStringLiteral("once only")), 1);
        QCOMPARE(p.client.outbox()->size(), 1);
        QCOMPARE(p.client.outbox()->entries().first().state, DeliveryState::Sent);

        // The link drops; the client comes back and resends with the same client_id.
        proxy.dropDownstream(false);
        const int acceptedBefore = proxy.acceptedCount();
        QSignalSpy acked(p.client.outbox(), &Outbox::entryAcknowledged);
        proxy.cutAll();
        QVERIFY(acked.wait(kWait));
        QVERIFY(proxy.acceptedCount() > acceptedBefore);
        QCOMPARE(acked.first().at(0).value<OutboxEntry>().clientId, clientId);
        QCOMPARE(acked.first().at(0).value<OutboxEntry>().attempts, 2);
        QVERIFY(p.client.outbox()->isEmpty());
        QCOMPARE(host.countStored(room, QStringLiteral("once only")), 1);
        QTRY_COMPARE_WITH_TIMEOUT(p.rowsWithBody(QStringLiteral("once only")), 1, kWait);
        QCOMPARE(p.messages.pendingCount(), 0);
        QTest::qWait(200);
        QCOMPARE(seen.count(), 1); // the others saw it once
    }

    void heartbeatDetectsAHungServer()
    {
        // The client's timers run on a clock only the test moves (ClientOptions::clock): a
        // ping goes out when the clock reaches the interval, its time-out falls due exactly
        // `heartbeatTimeout` later, whatever the machine's speed. The product's intervals.
        QVERIFY(host.start());
        test::TcpProxy proxy(host.port());
        auto clock = std::make_shared<test::ManualClock>();
        ClientOptions options = test::fastOptions();
        options.heartbeatInterval = ClientOptions{}.heartbeatInterval;
        options.heartbeatTimeout = ClientOptions{}.heartbeatTimeout;
        options.clock = clock;
        Peer p(options);
        QVERIFY(p.connectTo(proxy.url()));
        const QString uuid = p.client.user().uuid;
        QSignalSpy roomChanged(&p.client, &ChatClient::roomChanged);
        const QString room = p.enterNewRoom(QStringLiteral("hb"));
        QVERIFY(!room.isEmpty());
        // The (coalesced) room_changed of our entering is the last frame the server sends by
        // itself: once here, no stray frame can pass for an answer to a ping below.
        QTRY_VERIFY_WITH_TIMEOUT(roomChanged.count() >= 1, kWait);

        // A healthy link: each ping is answered, so the time-out after it passes harmlessly.
        auto toNextPing = options.heartbeatInterval; // the heartbeat started on connecting
        for (int i = 0; i < 3; ++i) {
            QVERIFY(p.client.socket());
            QSignalSpy pong(p.client.socket(), &QWebSocket::pong);
            clock->advance(toNextPing); // a ping goes out at the end of this step
            QVERIFY(pong.wait(kWait));
            clock->advance(options.heartbeatTimeout);
            QCOMPARE(p.client.state(), ChatClient::State::Connected);
            toNextPing = options.heartbeatInterval - options.heartbeatTimeout;
        }
        QCOMPARE(proxy.acceptedCount(), 1);

        // The server hangs: nothing is forwarded any more, but no connection is closed. The
        // next ping reaches it and is never answered; the link is dead exactly at the time-out.
        proxy.freezeCurrent();
        clock->advance(toNextPing);
        QTRY_VERIFY_WITH_TIMEOUT(proxy.heldFromClients() > 0, kWait);
        clock->advance(options.heartbeatTimeout - 1ms);
        QCOMPARE(p.client.state(), ChatClient::State::Connected);
        clock->advance(1ms);
        QCOMPARE(p.client.state(), ChatClient::State::Reconnecting);
        QVERIFY2(p.client.stateText().startsWith(QStringLiteral("Connection lost")),
                 qPrintable(p.client.stateText()));

        // Not before the backoff's delay (the first is backoffMin, up to 20 % more); then a
        // new link, the same user, back in its room.
        clock->advance(options.backoffMin - 1ms);
        QVERIFY(!p.client.socket());
        clock->advance(options.backoffMax);
        QVERIFY(p.client.socket());
        QTRY_COMPARE_WITH_TIMEOUT(proxy.acceptedCount(), 2, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(p.client.currentRoomUuid(), room, kWait);
        QCOMPARE(p.client.user().uuid, uuid);
        QCOMPARE(p.client.state(), ChatClient::State::Connected);
    }

    void newDatabaseFallsBackToNewIdentityQuietly()
    {
        QVERIFY(host.start());
        const quint16 port = host.port();
        Peer p;
        QVERIFY(p.connectTo(host.url()));
        const QString oldUuid = p.client.user().uuid;
        const QString oldToken = client::settings::identityToken.get(*p.store);
        const QString room = p.enterNewRoom(QStringLiteral("gone"));
        QVERIFY(!room.isEmpty());
        host.stop();
        QTRY_COMPARE_WITH_TIMEOUT(p.client.state(), ChatClient::State::Reconnecting, kWait);
        QVERIFY(!p.client.sendMessage(QStringLiteral("nowhere")).isEmpty());
        QSignalSpy failed(p.client.outbox(), &Outbox::entryFailed);

        host.replaceStorage(); // the token and the room are unknown to the new server
        QVERIFY(host.start(port));
        QSignalSpy ready(&p.client, &ChatClient::ready);
        QVERIFY(ready.wait(kWait));
        QVERIFY(p.client.user().uuid != oldUuid);
        QVERIFY(!p.client.resumeSupported());
        const QString newToken = client::settings::identityToken.get(*p.store);
        QVERIFY(!newToken.isEmpty());
        QVERIFY(newToken != oldToken);
        // The room is gone: the client stops wanting it and drops what was meant for it.
        QTRY_VERIFY_WITH_TIMEOUT(p.client.wantedRoomUuid().isEmpty(), kWait);
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, kWait);
        QVERIFY(p.client.outbox()->isEmpty());
        QCOMPARE(p.client.state(), ChatClient::State::Connected);
    }

    void identitySurvivesARestartOfTheClient()
    {
        QVERIFY(host.start());
        auto store = std::make_shared<MemorySettingsStore>();
        QString uuid;
        {
            ChatClient first(store, test::fastOptions());
            QSignalSpy ready(&first, &ChatClient::ready);
            first.connectToServer(host.url());
            QVERIFY(ready.wait(kWait));
            uuid = first.user().uuid;
        }
        ChatClient second(store, test::fastOptions());
        QSignalSpy ready(&second, &ChatClient::ready);
        second.connectToServer(host.url());
        QVERIFY(ready.wait(kWait));
        QCOMPARE(second.user().uuid, uuid);
    }

    void unsentMessagesSurviveAnAppRestart()
    {
        QVERIFY(host.start());
        const quint16 port = host.port();
        auto store = std::make_shared<MemorySettingsStore>();
        QString room;
        QString clientId;
        {
            ChatClient first(store, test::fastOptions());
            QSignalSpy ready(&first, &ChatClient::ready);
            first.connectToServer(host.url());
            QVERIFY(ready.wait(kWait));
            QSignalSpy created(&first, &ChatClient::roomCreated);
            QVERIFY(first.createRoom(QStringLiteral("later")));
            QVERIFY(created.wait(kWait));
            room = created.first().at(0).value<protocol::Room>().uuid;
            QVERIFY(first.enterRoom(room));
            QTRY_COMPARE_WITH_TIMEOUT(first.currentRoomUuid(), room, kWait);
            host.stop();
            QTRY_COMPARE_WITH_TIMEOUT(first.state(), ChatClient::State::Reconnecting, kWait);
            clientId = first.sendMessage(QStringLiteral("typed offline, then quit"));
            QVERIFY(!clientId.isEmpty());
            QVERIFY(!client::settings::outboxEntries.get(*store).isEmpty());
        } // the app quits with the message unsent

        QVERIFY(host.start(port));
        ChatClient second(store, test::fastOptions());
        MessageListModel messages(&second);
        QSignalSpy ready(&second, &ChatClient::ready);
        second.connectToServer(host.url());
        QCOMPARE(second.outbox()->size(), 1); // restored at once
        QCOMPARE(second.outbox()->entries().first().clientId, clientId);
        QVERIFY(ready.wait(kWait));
        QVERIFY(second.enterRoom(room)); // the app enters its last room
        QTRY_VERIFY_WITH_TIMEOUT(second.outbox()->isEmpty(), kWait);
        QCOMPARE(host.countStored(room, QStringLiteral("typed offline, then quit")), 1);
        QTRY_COMPARE_WITH_TIMEOUT(messages.storedCount(), 1, kWait);
        QCOMPARE(messages.pendingCount(), 0);
        QVERIFY(client::settings::outboxEntries.get(*store).isEmpty());
    }

    void anOutboxSavedByAnOlderVersionIsSentOnce()
    {
        QVERIFY(host.start());
        Peer maker;
        QVERIFY(maker.connectTo(host.url()));
        const QString room = maker.enterNewRoom(QStringLiteral("upgraded"));
        QVERIFY(!room.isEmpty());
        // The settings an older Chalkroom left: the unsent message as JSON text.
        auto store = std::make_shared<MemorySettingsStore>();
        const QString clientId = protocol::newUuid();
        const QJsonArray old{
            QJsonObject{{QStringLiteral("client_id"), clientId},
                        {QStringLiteral("body"), QStringLiteral("kept")},
                        {QStringLiteral("room_uuid"), room},
                        {QStringLiteral("queued"), QStringLiteral("2026-11-20T10:00:00.000Z")},
                        {QStringLiteral("attempts"), 1}}};
        store->setValue(QStringLiteral("outbox/entries"),
                        QString::fromUtf8(QJsonDocument(old).toJson(QJsonDocument::Compact)));
        store->setValue(QStringLiteral("outbox/server"), client::serverOrigin(host.url()));

        ChatClient upgraded(store, test::fastOptions());
        QSignalSpy ready(&upgraded, &ChatClient::ready);
        upgraded.connectToServer(host.url());
        QCOMPARE(upgraded.outbox()->size(), 1);
        QCOMPARE(upgraded.outbox()->entries().first().clientId, clientId);
        QCOMPARE(store->value(QStringLiteral("outbox/entries")).typeId(), QMetaType::QVariantList);
        QVERIFY(ready.wait(kWait));
        QVERIFY(upgraded.enterRoom(room));
        QTRY_VERIFY_WITH_TIMEOUT(upgraded.outbox()->isEmpty(), kWait);
        QCOMPARE(host.countStored(room, QStringLiteral("kept")), 1);
        QVERIFY(client::settings::outboxEntries.get(*store).isEmpty());
    }

    void backoffGrowsUntilTheServerIsBack()
    {
        // Nothing listens on this port yet.
        QVERIFY(host.start());
        const quint16 port = host.port();
        host.stop();
        ClientOptions options = test::fastOptions();
        Peer p(options);
        QSignalSpy states(&p.client, &ChatClient::stateChanged);
        QUrl url;
        url.setScheme(QStringLiteral("ws"));
        url.setHost(QStringLiteral("127.0.0.1"));
        url.setPort(port);
        p.client.connectToServer(url);
        QTRY_VERIFY_WITH_TIMEOUT(states.count() >= 6, kWait);
        QCOMPARE(p.client.state(), ChatClient::State::Reconnecting);
        QVERIFY(p.client.stateText().contains(QStringLiteral("retrying in")));
        QVERIFY(host.start(port));
        QTRY_VERIFY_WITH_TIMEOUT(p.client.isReady(), kWait);
        // disconnectFromServer stops the retries for good.
        p.client.disconnectFromServer();
        host.stop();
        QTest::qWait(600);
        QCOMPARE(p.client.state(), ChatClient::State::Disconnected);
    }

    void countdownFollowsTheClientsClock()
    {
        // "retrying in N s" is read from the reconnect timer itself: on a clock the test
        // moves, each second moved takes exactly one second off the text, and the attempt
        // starts when the text would reach zero (it never shows "0 s").
        QVERIFY(host.start());
        const quint16 port = host.port();
        host.stop();
        auto clock = std::make_shared<test::ManualClock>();
        ClientOptions options = test::fastOptions();
        options.backoffMin = 5s;
        options.backoffMax = 60s;
        options.clock = clock;
        Peer p(options);
        QUrl url;
        url.setScheme(QStringLiteral("ws"));
        url.setHost(QStringLiteral("127.0.0.1"));
        url.setPort(port);
        p.client.connectToServer(url);
        QTRY_VERIFY_WITH_TIMEOUT(p.client.isWaitingToReconnect(), kWait);
        static const QRegularExpression re(QStringLiteral("retrying in (\\d+) s$"));
        const auto secondsShown = [&] {
            const auto m = re.match(p.client.stateText());
            return m.hasMatch() ? m.captured(1).toInt() : -1;
        };
        const int first = secondsShown();
        QVERIFY2(first == 5 || first == 6, qPrintable(p.client.stateText())); // 5 s + jitter
        for (int shown = first - 1; shown >= 1; --shown) {
            clock->advance(1s);
            QCOMPARE(secondsShown(), shown);
            QVERIFY(p.client.isWaitingToReconnect());
        }
        clock->advance(1s);
        QVERIFY(!p.client.isWaitingToReconnect()); // the attempt has started
        p.client.disconnectFromServer();
    }

    void originalServerWithoutEchoStillAcknowledges()
    {
        // A stand-in for the original socket_chat server (its shapes): no token, no client_id
        // echo, objects under their kind's key, room_entered without the room, "ok" answers,
        // and user_created again as the answer to change_user_name.
        QWebSocketServer original(QStringLiteral("original"), QWebSocketServer::NonSecureMode);
        QVERIFY(original.listen(QHostAddress::LocalHost, 0));
        const QString roomUuid = protocol::newUuid();
        const QString userUuid = protocol::newUuid();
        int createMessages = 0;
        QList<QWebSocket *> sockets;
        const auto send = [](QWebSocket *s, const char *name, const QJsonObject &fields) {
            s->sendTextMessage(QString::fromUtf8(
                protocol::encode(protocol::Type::Result, QLatin1String(name), fields)));
        };
        connect(&original, &QWebSocketServer::newConnection, this, [&] {
            QWebSocket *s = original.nextPendingConnection();
            sockets << s;
            auto user = std::make_shared<protocol::User>(
                protocol::User{userUuid, QStringLiteral("user-") + userUuid, {}});
            send(s, "user_created", {{QStringLiteral("user"), user->toJson()}});
            protocol::Room room;
            room.uuid = roomUuid;
            room.name = QStringLiteral("room-") + roomUuid;
            room.color = QStringLiteral("#ffffff");
            send(s, "rooms_listed", {{QStringLiteral("list"), QJsonArray{room.toJson()}}});
            connect(s, &QWebSocket::textMessageReceived, s, [&, s, user, room](const QString &t) {
                const auto env = protocol::decodeEnvelope(t.toUtf8());
                if (!env)
                    return;
                if (env->message == QLatin1String("enter_room")) {
                    send(s, "room_entered", {});
                    send(s, "messages_listed", {{QStringLiteral("list"), QJsonArray{}}});
                } else if (env->message == QLatin1String("change_user_name")) {
                    user->name = env->payload.value(QLatin1String("name")).toString();
                    send(s, "ok", {});
                    send(s, "user_created", {{QStringLiteral("user"), user->toJson()}});
                } else if (env->message == QLatin1String("create_message")) {
                    ++createMessages;
                    protocol::Message m;
                    m.uuid = protocol::newUuid();
                    m.body = env->payload.value(QLatin1String("body")).toString();
                    m.user = *user;
                    m.roomUuid = room.uuid;
                    m.created = QDateTime::currentDateTimeUtc();
                    send(s, "ok", {});
                    send(s, "message_created", {{QStringLiteral("object"), m.toJson(false)}});
                }
            });
        });
        Peer p;
        QUrl url;
        url.setScheme(QStringLiteral("ws"));
        url.setHost(QStringLiteral("127.0.0.1"));
        url.setPort(original.serverPort());
        QVERIFY(p.connectTo(url));
        QVERIFY(client::settings::identityToken.get(*p.store).isEmpty());
        // What the original supports is known from its first frame, not guessed later.
        QVERIFY(p.client.serverFeatures().known());
        QVERIFY(!p.client.serverFeatures().supports(Feature::ResumeToken));
        QVERIFY(!p.client.serverFeatures().supports(Feature::AppendLines));
        QVERIFY(!p.client.serverFeatures().supports(Feature::RemoveLines));
        QTRY_COMPARE_WITH_TIMEOUT(p.rooms.rowCount(), 1, kWait);
        QSignalSpy entered(&p.client, &ChatClient::roomEntered);
        QVERIFY(p.client.enterRoom(roomUuid));
        QVERIFY(entered.wait(kWait));
        QCOMPARE(p.client.currentRoomUuid(), roomUuid);
        QCOMPARE(p.rooms.index(0).data(RoomListModel::NameRole).toString(),
                 QStringLiteral("room-") + roomUuid); // not blanked by the bare room_entered
        QCOMPARE(p.client.user().uuid, userUuid);
        QSignalSpy renamed(&p.client, &ChatClient::userChanged);
        QVERIFY(p.client.changeUserName(QStringLiteral("Grace")));
        QVERIFY(renamed.wait(kWait));
        QCOMPARE(p.client.user().name, QStringLiteral("Grace"));
        QSignalSpy acked(p.client.outbox(), &Outbox::entryAcknowledged);
        const QString first = p.client.sendMessage(QStringLiteral("same"));
        const QString second = p.client.sendMessage(QStringLiteral("same"));
        QTRY_COMPARE_WITH_TIMEOUT(acked.count(), 2, kWait);
        // Oldest pending first.
        QCOMPARE(acked.at(0).at(0).value<OutboxEntry>().clientId, first);
        QCOMPARE(acked.at(1).at(0).value<OutboxEntry>().clientId, second);
        QVERIFY(!p.client.serverEchoesClientId());
        QCOMPARE(p.messages.storedCount(), 2);
        QCOMPARE(p.messages.pendingCount(), 0);
        QCOMPARE(createMessages, 2);
        qDeleteAll(sockets);
    }

private:
    test::ServerHost host;
};

QTEST_GUILESS_MAIN(TestClientReconnect)
#include "tst_client_reconnect.moc"
