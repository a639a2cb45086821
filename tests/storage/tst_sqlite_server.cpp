// The server on SQLite across a restart, over real sockets: rooms, messages (in order, with
// their edits, tombstones and reply quotes) and drawings survive a new ChatServer on the same
// file; room membership does not.
#include "server/password_hasher.h"
#include "server/storage/storage_factory.h"
#include "server_steps.h"
#include "test_server.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace chalk;
using namespace chalk::test;

class TestSqliteServer : public QObject {
    Q_OBJECT
    QTemporaryDir dir;

    bool startOnFile(TestServer &server, server::ServerOptions options = {},
                     const QString &file = QStringLiteral("chalkroom.db"))
    {
        QString error;
        auto storage = server::makeStorage("sqlite:" + dir.filePath(file), &error);
        if (!storage) {
            qWarning() << error;
            return false;
        }
        return server.start(options, std::move(storage));
    }

    static QStringList bodies(const QJsonArray &list)
    {
        QStringList out;
        for (const QJsonValue &v : list)
            out << v.toObject().value("body").toString();
        return out;
    }

private slots:
    void unreadCountsSurviveRestart()
    {
        QVERIFY(dir.isValid());
        QString room, token;
        {
            TestServer first;
            QVERIFY2(startOnFile(first, {}, "unread.db"), qPrintable(first.server->errorString()));
            TestClient writer, reader;
            room = openAndEnter(writer, first.url());
            QVERIFY(!room.isEmpty());
            QVERIFY(reader.openAndWelcome(first.url()));
            token = reader.token();
            QVERIFY(enterRoom(reader, room)); // follows the room from here
            QVERIFY(reader.request("leave_room"));
            QStringList sent;
            for (int i = 0; i < 3; ++i) {
                const auto ack = say(writer, QString("unread %1").arg(i));
                QCOMPARE(answerName(ack), QStringLiteral("message_created"));
                sent << ack->object().value("uuid").toString();
            }
            const auto marked =
                reader.request("mark_read", {{"room_uuid", room}, {"message_uuid", sent[0]}});
            QCOMPARE(answerName(marked), QStringLiteral("unread_changed"));
            QCOMPARE(marked->payload.value("unread").toInt(), 2);
            first.stop();
        }
        TestServer second;
        QVERIFY2(startOnFile(second, {}, "unread.db"), qPrintable(second.server->errorString()));
        TestClient reader;
        QVERIFY(reader.openAndWelcome(second.url()));
        QCOMPARE(answerName(reader.request("resume", {{"token", token}})),
                 QStringLiteral("resumed"));
        // The resumed identity's list comes again, with its counts from the file.
        QVERIFY(reader.waitForCount("rooms_listed", 2));
        const auto listed = std::optional(reader.all("rooms_listed").last());
        bool found = false;
        for (const QJsonValue &v : listed->payload.value("list").toArray()) {
            if (v.toObject().value("uuid").toString() == room) {
                QCOMPARE(v.toObject().value("unread").toInt(), 2);
                found = true;
            }
        }
        QVERIFY(found);
        second.stop();
    }

    void editsDeletesAndRepliesSurviveRestart()
    {
        QVERIFY(dir.isValid());
        QString room, edited, deleted, reply;
        {
            TestServer first;
            QVERIFY2(startOnFile(first, {}, "own.db"), qPrintable(first.server->errorString()));
            TestClient a;
            room = openAndEnter(a, first.url());
            QVERIFY(!room.isEmpty());
            edited = say(a, "first draft")->object().value("uuid").toString();
            deleted = say(a, "regrettable")->object().value("uuid").toString();
            const auto r =
                a.request("create_message", {{"body", "see above"}, {"reply_to", edited}});
            QCOMPARE(answerName(r), QStringLiteral("message_created"));
            reply = r->object().value("uuid").toString();
            QCOMPARE(answerName(a.request("edit_message",
                                          {{"message_uuid", edited}, {"body", "final text"}})),
                     QStringLiteral("message_changed"));
            QCOMPARE(answerName(a.request("delete_message", {{"message_uuid", deleted}})),
                     QStringLiteral("message_deleted"));
            first.stop();
        }
        TestServer second;
        QVERIFY2(startOnFile(second, {}, "own.db"), qPrintable(second.server->errorString()));
        TestClient b;
        QVERIFY(!openAndEnter(b, second.url(), room).isEmpty());
        const auto page = b.request("list_messages");
        QVERIFY(page);
        QHash<QString, QJsonObject> byUuid;
        for (const QJsonValue &v : page->payload.value("list").toArray())
            byUuid.insert(v.toObject().value("uuid").toString(), v.toObject());
        QCOMPARE(byUuid.size(), 3);
        QCOMPARE(byUuid[edited].value("body").toString(), QStringLiteral("final text"));
        QVERIFY(byUuid[edited].value("edited_at").isString());
        QCOMPARE(byUuid[deleted].value("deleted").toBool(), true);
        QCOMPARE(byUuid[deleted].value("body").toString(), QString());
        QCOMPARE(byUuid[reply].value("reply_to").toString(), edited);
        QCOMPARE(byUuid[reply].value("reply_to_text").toString(), QStringLiteral("final text"));
        // Still the author's alone after the restart.
        QCOMPARE(answerName(b.request("edit_message", {{"message_uuid", edited}, {"body", "b"}})),
                 QStringLiteral("not_your_message"));
        second.stop();
    }

    void accountsSurviveRestart()
    {
        QVERIFY(dir.isValid());
        server::ServerOptions options;
        options.passwordWork = server::PasswordHasher::minimumWork();
        const QString password = QStringLiteral("correct horse battery");
        QString uuid, phoneToken, laptopToken;
        {
            TestServer first;
            QVERIFY2(startOnFile(first, options, "accounts.db"),
                     qPrintable(first.server->errorString()));
            TestClient phone, laptop, other;
            QVERIFY(phone.openAndWelcome(first.url()));
            QVERIFY(laptop.openAndWelcome(first.url()));
            QVERIFY(other.openAndWelcome(first.url()));
            uuid = phone.userUuid();
            const QString room = createRoom(phone);
            QVERIFY(enterRoom(phone, room));
            QCOMPARE(answerName(say(phone, "before registering")),
                     QStringLiteral("message_created"));
            const auto reg = phone.request("register", {{"name", "Ann"}, {"password", password}});
            QCOMPARE(answerName(reg), QStringLiteral("registered"));
            phoneToken = reg->payload.value("token").toString();
            const auto in = laptop.request("login", {{"name", "ann"}, {"password", password}});
            QCOMPARE(answerName(in), QStringLiteral("logged_in"));
            laptopToken = in->payload.value("token").toString();
            QCOMPARE(answerName(phone.request("change_user_name", {{"name", "Queen Ann"}})),
                     QStringLiteral("user_changed"));
            first.stop();
        }
        TestServer second;
        QVERIFY2(startOnFile(second, options, "accounts.db"),
                 qPrintable(second.server->errorString()));
        // Both devices resume the one registered user, with its new name.
        for (const QString &token : {phoneToken, laptopToken}) {
            TestClient c;
            QVERIFY(c.openAndWelcome(second.url()));
            const auto resumed = c.request("resume", {{"token", token}});
            QCOMPARE(answerName(resumed), QStringLiteral("resumed"));
            QCOMPARE(resumed->object().value("uuid").toString(), uuid);
            QCOMPARE(resumed->object().value("name").toString(), QStringLiteral("Queen Ann"));
            QCOMPARE(resumed->object().value("registered").toBool(), true);
        }
        // The password, the name's uniqueness and its protection survived too.
        TestClient d;
        QVERIFY(d.openAndWelcome(second.url()));
        QCOMPARE(answerName(d.request("login", {{"name", "ANN"}, {"password", "wrong one!"}})),
                 QStringLiteral("bad_login"));
        QCOMPARE(answerName(d.request("register", {{"name", "ann"}, {"password", password}})),
                 QStringLiteral("name_taken"));
        QCOMPARE(answerName(d.request("change_user_name", {{"name", "queen ann"}})),
                 QStringLiteral("name_taken"));
        const auto in = d.request("login", {{"name", "ANN"}, {"password", password}});
        QCOMPARE(answerName(in), QStringLiteral("logged_in"));
        QCOMPARE(in->object().value("uuid").toString(), uuid);
        // The history written before registering is still the user's.
        const auto rooms = d.waitFor("rooms_listed");
        QVERIFY(rooms);
        const QJsonArray list = rooms->payload.value("list").toArray();
        QCOMPARE(list.size(), 1);
        d.skipAll();
        QVERIFY(enterRoom(d, list[0].toObject().value("uuid").toString()));
        const auto page = d.waitFor("messages_listed");
        QVERIFY(page);
        const QJsonArray messages = page->payload.value("list").toArray();
        QCOMPARE(messages.size(), 1);
        QCOMPARE(messages[0].toObject().value("user").toObject().value("uuid").toString(), uuid);
    }

    void survivesRestart()
    {
        QVERIFY(dir.isValid());
        QString kitchen, empty;
        QStringList sent;
        const QString line1 = protocol::newUuid(), line2 = protocol::newUuid(),
                      line3 = protocol::newUuid();
        {
            TestServer first;
            QVERIFY2(startOnFile(first), qPrintable(first.server->errorString()));
            TestClient a, b;
            QVERIFY(a.openAndWelcome(first.url()));
            QVERIFY(b.openAndWelcome(first.url()));
            kitchen = createRoom(a, {{"name", "Kitchen"}, {"color", "#cf2e24"}});
            QVERIFY(!kitchen.isEmpty());
            empty = createRoom(b, {{"name", "Empty"}});
            QVERIFY(!empty.isEmpty());
            QVERIFY(enterRoom(a, kitchen));
            QVERIFY(enterRoom(b, kitchen));
            for (int i = 0; i < 60; ++i) {
                TestClient &who = i % 2 ? b : a;
                sent << QStringLiteral("message %1 ✓").arg(i);
                const auto ack = say(who, sent.last());
                QVERIFY(ack);
                QCOMPARE(ack->name, QStringLiteral("message_created"));
            }
            auto draw = [&](const QString &uuid, QJsonArray pts, const QString &color) {
                a.call("change_draw_line",
                       {{"uuid", uuid}, {"points", pts}, {"color", color}, {"tool", "pen"}});
            };
            draw(line1, points({10, 10, 20, 20}), "#5da247");
            draw(line2, points({30, 30}), "#2b347e");
            draw(line3, points({50, 50, 60, 60}), "#fbeb50");
            draw(line1, points({10, 10, 20, 20, 25.5, 30.25}), "#5da247"); // the stroke grew
            QVERIFY(b.waitForCount("draw_line_changed", 4));
            QCOMPARE(first.server->sessionCount(), 2);
            first.stop(); // finishes pending writes
        }

        TestServer second;
        QVERIFY2(startOnFile(second), qPrintable(second.server->errorString()));
        TestClient c;
        QVERIFY(c.open(second.url()));
        const auto listed = c.waitFor("rooms_listed");
        QVERIFY(listed);
        const QJsonArray rooms = listed->payload.value("list").toArray();
        QCOMPARE(rooms.size(), 2);
        QJsonObject k = rooms.at(0).toObject();
        QCOMPARE(k.value("uuid").toString(), kitchen);
        QCOMPARE(k.value("name").toString(), QStringLiteral("Kitchen"));
        QCOMPARE(k.value("color").toString(), QStringLiteral("#cf2e24"));
        QCOMPARE(k.value("sum").toDouble(), 60.0);
        QCOMPARE(k.value("users").toArray().size(), 0); // nobody is in a room after a restart
        QCOMPARE(rooms.at(1).toObject().value("uuid").toString(), empty);
        QCOMPARE(rooms.at(1).toObject().value("sum").toDouble(), 0.0);

        c.skipAll();
        c.call("enter_room", {{"uuid", kitchen}});
        const auto entered = c.waitFor("room_entered");
        QVERIFY(entered);
        const auto history = c.waitFor("messages_listed");
        QVERIFY(history);
        QCOMPARE(bodies(history->payload.value("list").toArray()), sent.mid(10)); // newest 50
        QVERIFY(history->payload.value("has_more").toBool());
        const auto drawing = c.waitFor("drawing_got");
        QVERIFY(drawing);
        const QJsonArray lines = drawing->object().value("lines").toArray();
        QCOMPARE(lines.size(), 3);
        QCOMPARE(lines.at(0).toObject().value("uuid").toString(), line1);
        QCOMPARE(lines.at(1).toObject().value("uuid").toString(), line2);
        QCOMPARE(lines.at(2).toObject().value("uuid").toString(), line3);
        QCOMPARE(lines.at(0).toObject().value("points").toArray(),
                 points({10, 10, 20, 20, 25.5, 30.25}));
        QCOMPARE(lines.at(1).toObject().value("color").toString(), QStringLiteral("#2b347e"));

        // The older page, and the membership of the restarted room is only the newcomer.
        const auto older = c.request(
            "list_messages",
            {{"before", history->payload.value("list").toArray().first().toObject().value("uuid")},
             {"limit", 50}});
        QVERIFY(older);
        QCOMPARE(older->name, QStringLiteral("messages_listed"));
        QCOMPARE(bodies(older->payload.value("list").toArray()), sent.mid(0, 10));
        QVERIFY(!older->payload.value("has_more").toBool());
        const QJsonArray users = entered->object().value("users").toArray();
        QCOMPARE(users.size(), 1);
        QCOMPARE(users.at(0).toObject().value("uuid").toString(), c.userUuid());

        // And it keeps working: a new message lands after the old ones.
        const auto ack = say(c, "after restart");
        QVERIFY(ack);
        QCOMPARE(ack->name, QStringLiteral("message_created"));
        second.stop();
    }

    void directConversationsSurviveRestart()
    {
        QVERIFY(dir.isValid());
        QString annToken, annUuid, bobToken, direct;
        {
            TestServer first;
            QVERIFY2(startOnFile(first, {}, "direct.db"), qPrintable(first.server->errorString()));
            TestClient ann, bob;
            QVERIFY(ann.openAndWelcome(first.url()));
            QVERIFY(bob.openAndWelcome(first.url()));
            annToken = ann.token();
            annUuid = ann.userUuid();
            bobToken = bob.token();
            const auto opened = ann.request("open_direct", {{"user_uuid", bob.userUuid()}});
            QCOMPARE(answerName(opened), QStringLiteral("room_entered"));
            direct = opened->object().value("uuid").toString();
            QCOMPARE(answerName(say(ann, "kept private")), QStringLiteral("message_created"));
            QCOMPARE(answerName(ann.request("block_user", {{"user_uuid", bob.userUuid()}})),
                     QStringLiteral("user_blocked"));
            first.stop();
        }
        TestServer second;
        QVERIFY2(startOnFile(second, {}, "direct.db"), qPrintable(second.server->errorString()));
        // A stranger does not see it and cannot enter it.
        TestClient stranger;
        QVERIFY(stranger.openAndWelcome(second.url()));
        const auto strangerList = stranger.request("list_rooms");
        QVERIFY(strangerList);
        QVERIFY(!strangerList->text.contains(direct));
        QCOMPARE(answerName(stranger.request("enter_room", {{"uuid", direct}})),
                 QStringLiteral("not_a_member"));
        // Ann resumes: the room is listed to her, with its message, and is the same room.
        TestClient ann;
        QVERIFY(ann.openAndWelcome(second.url()));
        ann.skipAll();
        QCOMPARE(answerName(ann.request("resume", {{"token", annToken}})),
                 QStringLiteral("resumed"));
        const auto listed = ann.waitFor("rooms_listed");
        QVERIFY(listed);
        QVERIFY(listed->text.contains(direct));
        const auto page = ann.waitFor("messages_listed"); // she was in it: entered again
        QVERIFY(page);
        QVERIFY(page->text.contains("kept private"));
        // Bob is still blocked.
        TestClient bob;
        QVERIFY(bob.openAndWelcome(second.url()));
        QCOMPARE(answerName(bob.request("resume", {{"token", bobToken}})),
                 QStringLiteral("resumed"));
        QCOMPARE(answerName(bob.request("open_direct", {{"user_uuid", annUuid}})),
                 QStringLiteral("blocked"));
        second.stop();
    }

    void lastSeenSurvivesRestart()
    {
        QVERIFY(dir.isValid());
        QString uuid, lastSeen;
        {
            TestServer first;
            QVERIFY2(startOnFile(first, {}, "presence.db"),
                     qPrintable(first.server->errorString()));
            TestClient gone, lister;
            QVERIFY(gone.openAndWelcome(first.url()));
            QCOMPARE(answerName(gone.request("change_user_name", {{"name", "Hélène Left"}})),
                     QStringLiteral("user_changed"));
            uuid = gone.userUuid();
            QVERIFY(lister.openAndWelcome(first.url()));
            gone.close();
            QTRY_VERIFY_WITH_TIMEOUT(
                [&] {
                    const auto l = lister.request("list_users", {{"query", "helene"}});
                    if (!l || l->payload.value("list").toArray().size() != 1)
                        return false;
                    lastSeen = l->payload.value("list")[0].toObject().value("last_seen").toString();
                    return !lastSeen.isEmpty();
                }(),
                20000);
            first.stop();
        }
        TestServer second;
        QVERIFY2(startOnFile(second, {}, "presence.db"), qPrintable(second.server->errorString()));
        TestClient lister;
        QVERIFY(lister.openAndWelcome(second.url()));
        const auto listed = lister.request("list_users", {{"query", "HELENE"}});
        QCOMPARE(answerName(listed), QStringLiteral("users_listed"));
        const QJsonArray list = listed->payload.value("list").toArray();
        QCOMPARE(list.size(), 1);
        const QJsonObject u = list.first().toObject();
        QCOMPARE(u.value("uuid").toString(), uuid);
        QCOMPARE(u.value("online").toBool(), false);
        QCOMPARE(u.value("last_seen").toString(), lastSeen);
    }
};

QTEST_GUILESS_MAIN(TestSqliteServer)
#include "tst_sqlite_server.moc"
