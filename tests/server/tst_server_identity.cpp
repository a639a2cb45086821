// Identity: resume tokens (same user back, in the same room) and the optional password.
#include "protocol/objects.h"
#include "server_steps.h"
#include "test_server.h"

#include <QJsonArray>
#include <QTest>

using namespace chalk;
using namespace chalk::test;

class TestServerIdentity : public QObject {
    Q_OBJECT

    TestServer m_server;

private slots:
    void cleanup() { m_server.stop(); }

    void tokensAreLongAndUnique()
    {
        QVERIFY(m_server.start());
        QSet<QString> tokens;
        for (int i = 0; i < 5; ++i) {
            TestClient c;
            QVERIFY(c.openAndWelcome(m_server.url()));
            QVERIFY(c.token().size() >= 43); // 32 random bytes, base64url
            tokens.insert(c.token());
        }
        QCOMPARE(tokens.size(), 5);
    }

    void resumeGivesTheSameUserInTheSameRoom()
    {
        QVERIFY(m_server.start());
        TestClient first, other;
        QVERIFY(first.openAndWelcome(m_server.url()));
        QVERIFY(other.openAndWelcome(m_server.url()));
        const QString uuid = first.userUuid();
        const QString token = first.token();
        const QString room = createRoom(first);
        QVERIFY(enterRoom(first, room));
        QCOMPARE(answerName(first.request("change_user_name", {{"name", "Alice"}})),
                 QStringLiteral("user_changed"));
        QCOMPARE(answerName(say(first, "before the break")), QStringLiteral("message_created"));
        first.close();

        TestClient again;
        QVERIFY(again.openAndWelcome(m_server.url()));
        QVERIFY(again.userUuid() != uuid); // a fresh user until it resumes
        again.skipAll();
        again.call("resume", {{"token", token}, {"client_id", "r-1"}});
        const auto resumed = again.next({"room_changed", "room_created"});
        QVERIFY(resumed);
        QCOMPARE(resumed->name, QStringLiteral("resumed"));
        QCOMPARE(resumed->payload.value("client_id").toString(), QStringLiteral("r-1"));
        QCOMPARE(resumed->object().value("uuid").toString(), uuid);
        QCOMPARE(resumed->object().value("name").toString(), QStringLiteral("Alice"));
        const auto entered = again.next({"room_changed", "room_created"});
        QVERIFY(entered);
        QCOMPARE(entered->name, QStringLiteral("room_entered"));
        QCOMPARE(entered->object().value("uuid").toString(), room);
        const QJsonArray members = entered->object().value("users").toArray();
        QCOMPARE(members.size(), 1); // the resumed user, not the fresh one it replaced
        QCOMPARE(members[0].toObject().value("uuid").toString(), uuid);
        const auto listed = again.next({"room_changed", "room_created"});
        QVERIFY(listed);
        QCOMPARE(listed->name, QStringLiteral("messages_listed"));
        QCOMPARE(listed->payload.value("list").toArray().size(), 1);
        QVERIFY(again.waitFor("drawing_got"));

        // Messages now come from the resumed identity; others see Alice in the room.
        const auto ack = say(again, "after the break");
        QVERIFY(ack);
        QCOMPARE(ack->object().value("user").toObject().value("uuid").toString(), uuid);
        QVERIFY(QTest::qWaitFor(
            [&] {
                for (const Statement &s : other.all("room_changed")) {
                    const QJsonArray users = s.object().value("users").toArray();
                    if (s.object().value("uuid").toString() == room && users.size() == 1 &&
                        users[0].toObject().value("uuid").toString() == uuid &&
                        users[0].toObject().value("name").toString() == QLatin1String("Alice"))
                        return true;
                }
                return false;
            },
            10000));
    }

    void resumeOutsideARoom()
    {
        QVERIFY(m_server.start());
        TestClient first;
        QVERIFY(first.openAndWelcome(m_server.url()));
        const QString token = first.token(), uuid = first.userUuid();
        first.close();
        TestClient again;
        QVERIFY(again.openAndWelcome(m_server.url()));
        const auto resumed = again.request("resume", {{"token", token}});
        QVERIFY(resumed);
        QCOMPARE(resumed->object().value("uuid").toString(), uuid);
        QVERIFY(resumed->object().value("room_uuid").isNull());
        // no room: a room call is refused as before
        const auto e = again.request("create_message", {{"body", "x"}});
        QVERIFY(e);
        QCOMPARE(e->name, QStringLiteral("no_selected_room"));
        QCOMPARE(again.count("room_entered"), 0);
    }

    void badToken()
    {
        QVERIFY(m_server.start());
        TestClient c;
        QVERIFY(c.openAndWelcome(m_server.url()));
        const QString mine = c.userUuid();
        for (const QString &token :
             {QStringLiteral("nope"),
              QString(c.token()).replace(0, 1, c.token().startsWith(u'Z') ? "Y" : "Z"),
              QString(256, 'a')}) {
            const auto e = c.request("resume", {{"token", token}});
            QVERIFY(e);
            QVERIFY(e->isError());
            QCOMPARE(e->name, QStringLiteral("bad_token"));
            QCOMPARE(e->payload.value("field").toString(), QStringLiteral("token"));
        }
        auto e = c.request("resume", {{"token", QString(300, 'a')}});
        QVERIFY(e);
        QCOMPARE(e->name, QStringLiteral("data_too_long"));
        e = c.request("resume", {{"token", 12}});
        QVERIFY(e);
        QCOMPARE(e->name, QStringLiteral("wrong_type"));
        // still the same user after the failures
        const auto changed = c.request("change_user_name", {{"name", "Bob"}});
        QVERIFY(changed);
        QCOMPARE(changed->object().value("uuid").toString(), mine);
    }

    void namesThatPassForAnotherAreRefused()
    {
        // Issue 14: names that look like another user's are refused over a real socket.
        QVERIFY(m_server.start());
        TestClient victim, mallory;
        QVERIFY(victim.openAndWelcome(m_server.url()));
        QVERIFY(mallory.openAndWelcome(m_server.url()));
        QCOMPARE(answerName(victim.request("change_user_name", {{"name", "Bob"}})),
                 QStringLiteral("user_changed"));

        const auto refused = [&](const QString &name) {
            const auto e = mallory.request("change_user_name", {{"name", name}});
            return e && e->isError() ? e->name : QString();
        };
        QCOMPARE(refused(QStringLiteral("Bob\u200B")), QStringLiteral("bad_data"));
        QCOMPARE(refused(QStringLiteral("\u202EboB")), QStringLiteral("bad_data"));
        // Another's default name, in any case: taken. One's own stays allowed.
        QCOMPARE(refused(QStringLiteral("user-") + victim.userUuid()),
                 QStringLiteral("name_taken"));
        QCOMPARE(refused(QStringLiteral("USER-") + victim.userUuid().toUpper()),
                 QStringLiteral("name_taken"));
        const auto own = mallory.request("change_user_name",
                                         {{"name", QStringLiteral("user-") + mallory.userUuid()}});
        QVERIFY(own && !own->isError());
        QCOMPARE(own->object().value("name").toString(),
                 QStringLiteral("user-") + mallory.userUuid());
    }

    void passwordGuardsEverything()
    {
        server::ServerOptions options;
        options.password = QStringLiteral("s3cret pass");
        QVERIFY(m_server.start(options));
        TestClient c;
        QVERIFY(c.open(m_server.url()));
        const auto hello = c.next();
        QVERIFY(hello);
        QVERIFY(hello->isError());
        QCOMPARE(hello->name, QStringLiteral("unauthorized"));
        // Every call but authenticate is refused, and nothing else is sent.
        for (const QString call : {"list_rooms", "create_room", "resume", "enter_room"}) {
            QJsonObject fields;
            if (call == QLatin1String("resume"))
                fields.insert("token", "x");
            if (call == QLatin1String("enter_room"))
                fields.insert("uuid", protocol::newUuid());
            const auto e = c.request(call, fields);
            QVERIFY(e);
            QCOMPARE(e->name, QStringLiteral("unauthorized"));
        }
        auto e = c.request("authenticate", {{"password", "wrong"}});
        QVERIFY(e);
        QCOMPARE(e->name, QStringLiteral("unauthorized"));
        QCOMPARE(e->payload.value("field").toString(), QStringLiteral("password"));
        QCOMPARE(c.count("user_created"), 0);
        QCOMPARE(c.count("rooms_listed"), 0);

        // A connected user creates a room; the unauthenticated peer must not hear of it.
        TestClient d;
        QVERIFY(d.open(m_server.url()));
        c.skipAll();
        c.call("authenticate", {{"password", "s3cret pass"}});
        const auto ok = c.next();
        QVERIFY(ok);
        QCOMPARE(ok->name, QStringLiteral("authenticated"));
        const auto created = c.next();
        QVERIFY(created);
        QCOMPARE(created->name, QStringLiteral("user_created"));
        QVERIFY(!created->payload.value("token").toString().isEmpty());
        const auto rooms = c.next();
        QVERIFY(rooms);
        QCOMPARE(rooms->name, QStringLiteral("rooms_listed"));
        const QString room = createRoom(c);
        QVERIFY(!room.isEmpty());
        QVERIFY(enterRoom(c, room));
        QCOMPARE(answerName(say(c, "hello")), QStringLiteral("message_created"));
        // d: refused, unauthenticated, got none of it
        QCOMPARE(answerName(d.request("list_rooms")), QStringLiteral("unauthorized"));
        QCOMPARE(d.count("room_created"), 0);
        QCOMPARE(d.count("room_changed"), 0);
        QCOMPARE(d.count("user_created"), 0);
        // authenticate again is harmless
        const auto again = c.request("authenticate", {{"password", "whatever"}});
        QVERIFY(again);
        QCOMPARE(again->name, QStringLiteral("authenticated"));
    }
};

QTEST_GUILESS_MAIN(TestServerIdentity)
#include "tst_server_identity.moc"
