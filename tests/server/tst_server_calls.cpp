// Every call of the protocol over real sockets: success paths, reply order, every error.
#include "protocol/colors.h"
#include "protocol/objects.h"
#include "server_steps.h"
#include "test_server.h"

#include <QJsonArray>
#include <QTest>
#include <QUuid>

using namespace chalk;
using namespace chalk::test;

namespace {
const QStringList kBroadcasts{QStringLiteral("room_changed"), QStringLiteral("room_created"),
                              QStringLiteral("room_deleted")};

QString uuidOf(const std::optional<Statement> &s)
{
    return s ? s->object().value(QLatin1String("uuid")).toString() : QString();
}
} // namespace

class TestServerCalls : public QObject {
    Q_OBJECT

private:
    TestServer m_server;

    // Paging sends hundreds of messages back to back: rate limits off (tst_server_limits).
    bool startServer(server::ServerOptions options = {})
    {
        return m_server.start(withoutRateLimits(options));
    }

private slots:
    void init() { QVERIFY2(startServer(), qPrintable(m_server.server->errorString())); }
    void cleanup() { m_server.stop(); }

    void connectSendsUserThenRooms()
    {
        TestClient a;
        QVERIFY(a.open(m_server.url()));
        const auto first = a.next();
        QVERIFY(first);
        QCOMPARE(first->name, QStringLiteral("user_created"));
        QCOMPARE(first->type, QStringLiteral("result"));
        const QJsonObject user = first->object();
        QVERIFY(!protocol::normalizeUuid(user.value("uuid").toString()).isEmpty());
        QCOMPARE(user.value("name").toString(), "user-" + user.value("uuid").toString());
        QVERIFY(user.value("room_uuid").isNull());
        QVERIFY(first->payload.value("token").toString().size() >= 43); // 256 bits, base64
        const auto second = a.next();
        QVERIFY(second);
        QCOMPARE(second->name, QStringLiteral("rooms_listed"));
        QVERIFY(second->payload.value("list").isArray());
        QCOMPARE(m_server.server->sessionCount(), 1);
    }

    void createRoomReachesEveryone()
    {
        TestClient a, b;
        QVERIFY(a.openAndWelcome(m_server.url()));
        QVERIFY(b.openAndWelcome(m_server.url()));
        a.call("create_room");
        const auto atA = a.waitFor("room_created");
        const auto atB = b.waitFor("room_created");
        QVERIFY(atA && atB);
        const QJsonObject room = atB->object();
        QCOMPARE(room, atA->object());
        QCOMPARE(room.value("name").toString(), "room-" + room.value("uuid").toString());
        QVERIFY(protocol::roomPalette().contains(room.value("color").toString()));
        QCOMPARE(room.value("users").toArray().size(), 0);
        QCOMPARE(room.value("sum").toDouble(), 0.0);

        // ours: a name and colour may be given
        const auto named = a.request("create_room", {{"name", "Kitchen"}, {"color", "#ABC"}});
        QVERIFY(named);
        QCOMPARE(named->object().value("name").toString(), QStringLiteral("Kitchen"));
        QCOMPARE(named->object().value("color").toString(), QStringLiteral("#abc"));

        const auto listed = b.request("list_rooms");
        QVERIFY(listed);
        QCOMPARE(listed->name, QStringLiteral("rooms_listed"));
        const QJsonArray rooms = listed->payload.value("list").toArray();
        QCOMPARE(rooms.size(), 2);
        QCOMPARE(rooms[0].toObject().value("uuid"), room.value("uuid")); // oldest first
    }

    void enterRoomAnswersInOrder()
    {
        TestClient a, b;
        QVERIFY(a.openAndWelcome(m_server.url()));
        QVERIFY(b.openAndWelcome(m_server.url()));
        const QString room = createRoom(a);
        QVERIFY(!room.isEmpty());
        QVERIFY(enterRoom(a, room));
        for (int i = 0; i < 3; ++i)
            QCOMPARE(answerName(say(a, QStringLiteral("m%1").arg(i))),
                     QStringLiteral("message_created"));
        b.skipAll();
        b.call("enter_room", {{"uuid", room}});
        const auto entered = b.next(kBroadcasts);
        QVERIFY(entered);
        QCOMPARE(entered->name, QStringLiteral("room_entered"));
        QCOMPARE(entered->object().value("uuid").toString(), room);
        QCOMPARE(entered->object().value("users").toArray().size(), 2);
        const auto listed = b.next(kBroadcasts);
        QVERIFY(listed);
        QCOMPARE(listed->name, QStringLiteral("messages_listed"));
        const QJsonArray list = listed->payload.value("list").toArray();
        QCOMPARE(list.size(), 3);
        QCOMPARE(list[0].toObject().value("body").toString(), QStringLiteral("m0"));
        QCOMPARE(list[2].toObject().value("body").toString(), QStringLiteral("m2"));
        QCOMPARE(listed->payload.value("has_more").toBool(true), false);
        const auto drawing = b.next(kBroadcasts);
        QVERIFY(drawing);
        QCOMPARE(drawing->name, QStringLiteral("drawing_got"));
        QCOMPARE(drawing->object().value("uuid").toString(), protocol::Drawing::uuidForRoom(room));
        QCOMPARE(drawing->object().value("lines").toArray().size(), 0);

        // Both see the room change (coalesced) with two users.
        QVERIFY(QTest::qWaitFor(
            [&] {
                for (const Statement &s : a.all("room_changed")) {
                    if (s.object().value("uuid").toString() == room &&
                        s.object().value("users").toArray().size() == 2)
                        return true;
                }
                return false;
            },
            10000));
    }

    void enterMovesBetweenRooms()
    {
        TestClient a;
        QVERIFY(a.openAndWelcome(m_server.url()));
        const QString r1 = createRoom(a), r2 = createRoom(a);
        QVERIFY(enterRoom(a, r1));
        QVERIFY(enterRoom(a, r2));
        const auto rooms = a.request("list_rooms");
        QVERIFY(rooms);
        QCOMPARE(rooms->payload.value("list").toArray().size(), 2); // the loop sees both
        for (const QJsonValue &v : rooms->payload.value("list").toArray()) {
            const QJsonObject r = v.toObject();
            QCOMPARE(r.value("users").toArray().size(), r.value("uuid").toString() == r2 ? 1 : 0);
        }
    }

    void roomErrors()
    {
        TestClient a, b;
        QVERIFY(a.openAndWelcome(m_server.url()));
        QVERIFY(b.openAndWelcome(m_server.url()));
        const QString unknown = protocol::newUuid();
        for (const QString call : {"enter_room", "delete_room"}) {
            const auto e = a.request(call, {{"uuid", unknown}});
            QVERIFY(e);
            QVERIFY(e->isError());
            QCOMPARE(e->name, QStringLiteral("no_specified_room"));
            QCOMPARE(e->payload.value("call").toString(), call);
        }
        auto e = a.request("change_color", {{"uuid", unknown}, {"color", "#fff"}});
        QVERIFY(e);
        QCOMPARE(e->name, QStringLiteral("no_specified_room"));
        e = a.request("change_name", {{"uuid", unknown}, {"name", "x"}});
        QVERIFY(e);
        QCOMPARE(e->name, QStringLiteral("no_specified_room"));
        e = a.request("leave_room");
        QVERIFY(e);
        QCOMPARE(e->name, QStringLiteral("no_specified_room"));

        const QString room = createRoom(a);
        e = a.request("change_color", {{"uuid", room}, {"color", "red"}});
        QVERIFY(e);
        QCOMPARE(e->name, QStringLiteral("not_valid_color"));
        QCOMPARE(e->payload.value("field").toString(), QStringLiteral("color"));

        QVERIFY(enterRoom(b, room));
        e = a.request("delete_room", {{"uuid", room}});
        QVERIFY(e);
        QCOMPARE(e->name, QStringLiteral("not_empty_room"));

        for (const QString call :
             {"create_message", "list_messages", "get_drawing", "reset_drawing", "typing"}) {
            e = a.request(call, call == QLatin1String("create_message")
                                    ? QJsonObject{{"body", "hi"}}
                                    : QJsonObject{});
            QVERIFY(e);
            QCOMPARE(e->name, QStringLiteral("no_selected_room"));
            QCOMPARE(e->payload.value("call").toString(), call);
        }
        e = a.request("change_draw_line", {{"uuid", protocol::newUuid()},
                                           {"points", points({1, 2})},
                                           {"color", "#000"},
                                           {"tool", "pen"}});
        QVERIFY(e);
        QCOMPARE(e->name, QStringLiteral("no_selected_room"));
        e = a.request("remove_draw_line", {{"uuid", protocol::newUuid()}});
        QVERIFY(e);
        QCOMPARE(e->name, QStringLiteral("no_selected_room"));
    }

    void leaveAndDeleteRoom()
    {
        TestClient a, b;
        QVERIFY(a.openAndWelcome(m_server.url()));
        QVERIFY(b.openAndWelcome(m_server.url()));
        const QString room = createRoom(a);
        QVERIFY(enterRoom(a, room));
        const auto left = a.request("leave_room");
        QVERIFY(left);
        QCOMPARE(left->name, QStringLiteral("room_left"));
        QCOMPARE(left->object().value("uuid").toString(), room);
        const auto deleted = a.request("delete_room", {{"uuid", room}});
        QVERIFY(deleted);
        QCOMPARE(deleted->name, QStringLiteral("room_deleted"));
        const auto atB = b.waitFor("room_deleted");
        QVERIFY(atB);
        QCOMPARE(uuidOf(atB), room);
        const auto rooms = b.request("list_rooms");
        QVERIFY(rooms);
        QCOMPARE(rooms->payload.value("list").toArray().size(), 0);
        const auto e = b.request("enter_room", {{"uuid", room}});
        QVERIFY(e);
        QCOMPARE(e->name, QStringLiteral("no_specified_room"));
    }

    void changeColorAndName()
    {
        TestClient a, b;
        QVERIFY(a.openAndWelcome(m_server.url()));
        QVERIFY(b.openAndWelcome(m_server.url()));
        const QString room = createRoom(a);
        a.call("change_color", {{"uuid", room}, {"color", "#11223344"}});
        a.call("change_name", {{"uuid", room}, {"name", "  Garden  "}});
        // Not a member, b still hears of it (room_changed goes to every connection).
        QVERIFY(QTest::qWaitFor(
            [&] {
                for (const Statement &s : b.all("room_changed")) {
                    const QJsonObject r = s.object();
                    if (r.value("uuid").toString() == room &&
                        r.value("color").toString() == QLatin1String("#11223344") &&
                        r.value("name").toString() == QLatin1String("Garden"))
                        return true;
                }
                return false;
            },
            10000));
        const auto rooms = b.request("list_rooms");
        QVERIFY(rooms);
        QCOMPARE(rooms->payload.value("list").toArray()[0].toObject().value("name").toString(),
                 QStringLiteral("Garden"));
    }

    void changeUserName()
    {
        TestClient a, b;
        QVERIFY(a.openAndWelcome(m_server.url()));
        QVERIFY(b.openAndWelcome(m_server.url()));
        const QString room = createRoom(a);
        QVERIFY(enterRoom(a, room));
        const auto changed = a.request("change_user_name", {{"name", "Alice"}});
        QVERIFY(changed);
        QCOMPARE(changed->name, QStringLiteral("user_changed"));
        QCOMPARE(changed->object().value("name").toString(), QStringLiteral("Alice"));
        QCOMPARE(changed->object().value("uuid").toString(), a.userUuid());
        QCOMPARE(changed->object().value("room_uuid").toString(), room);
        QVERIFY(QTest::qWaitFor(
            [&] {
                for (const Statement &s : b.all("room_changed")) {
                    const QJsonArray users = s.object().value("users").toArray();
                    if (users.size() == 1 &&
                        users[0].toObject().value("name").toString() == QLatin1String("Alice"))
                        return true;
                }
                return false;
            },
            10000));
        // Later messages carry the new name.
        const auto ack = say(a, "hello");
        QVERIFY(ack);
        QCOMPARE(ack->object().value("user").toObject().value("name").toString(),
                 QStringLiteral("Alice"));
        const auto e = a.request("change_user_name", {{"name", "   "}});
        QVERIFY(e);
        QCOMPARE(e->name, QStringLiteral("bad_data"));
    }

    void createMessageAndClientId()
    {
        TestClient a, b;
        const QString room = openBothAndEnter(a, b, m_server.url());
        QVERIFY(!room.isEmpty());

        a.call("create_message", {{"body", "hello"}, {"client_id", "c-1"}});
        const auto ack = a.waitFor("message_created");
        QVERIFY(ack);
        const QJsonObject m = ack->object();
        QCOMPARE(m.value("body").toString(), QStringLiteral("hello"));
        QCOMPARE(m.value("name").toString(), "message-" + m.value("uuid").toString());
        QCOMPARE(m.value("room_uuid").toString(), room);
        QCOMPARE(m.value("user").toObject().value("uuid").toString(), a.userUuid());
        QVERIFY(protocol::parseIsoTime(m.value("created").toString()).isValid());
        QCOMPARE(m.value("client_id").toString(), QStringLiteral("c-1"));
        QCOMPARE(ack->payload.value("client_id").toString(), QStringLiteral("c-1"));
        const auto atB = b.waitFor("message_created");
        QVERIFY(atB);
        QCOMPARE(atB->object().value("uuid"), m.value("uuid"));
        QVERIFY(!atB->object().contains("client_id")); // the sender's business only
        QVERIFY(!atB->payload.contains("client_id"));

        // The same client_id again (a resend after a reconnect): stored once, acknowledged again.
        a.call("create_message", {{"body", "hello"}, {"client_id", "c-1"}});
        const auto again = a.waitFor("message_created");
        QVERIFY(again);
        QCOMPARE(again->object().value("uuid"), m.value("uuid"));
        QCOMPARE(again->object().value("client_id").toString(), QStringLiteral("c-1"));
        // One more real message proves b got nothing for the duplicate.
        QCOMPARE(answerName(say(a, "second")), QStringLiteral("message_created"));
        QVERIFY(b.waitForCount("message_created", 2));
        const auto bodies = b.all("message_created");
        QCOMPARE(bodies.size(), 2);
        QCOMPARE(bodies[1].object().value("body").toString(), QStringLiteral("second"));
        const auto page = b.request("list_messages");
        QVERIFY(page);
        QCOMPARE(page->payload.value("list").toArray().size(), 2);
        QCOMPARE(page->payload.value("client_id").toString().isEmpty(), false);

        const auto e = a.request("create_message", {{"body", QString(5000, 'x')}});
        QVERIFY(e);
        QCOMPARE(e->name, QStringLiteral("data_too_long"));
        QCOMPARE(e->payload.value("field").toString(), QStringLiteral("body"));
    }

    void paging()
    {
        TestClient a, b;
        QVERIFY(a.openAndWelcome(m_server.url()));
        QVERIFY(b.openAndWelcome(m_server.url()));
        const QString room = createRoom(a);
        QVERIFY(enterRoom(a, room));
        constexpr int kCount = 230;
        for (int i = 0; i < kCount; ++i)
            a.call("create_message", {{"body", QStringLiteral("m%1").arg(i)}});
        QVERIFY(a.waitForCount("message_created", kCount, 30000));

        b.skipAll();
        b.call("enter_room", {{"uuid", room}});
        const auto first = b.waitFor("messages_listed");
        QVERIFY(first);
        QJsonArray list = first->payload.value("list").toArray();
        QCOMPARE(list.size(), 50);
        QVERIFY(first->payload.value("has_more").toBool());
        QCOMPARE(list.first().toObject().value("body").toString(), QStringLiteral("m180"));
        QCOMPARE(list.last().toObject().value("body").toString(), QStringLiteral("m229"));

        // The page before the first one, with an explicit limit.
        const QString oldest = list.first().toObject().value("uuid").toString();
        auto page = b.request("list_messages", {{"before", oldest}, {"limit", 30}});
        QVERIFY(page);
        QCOMPARE(page->name, QStringLiteral("messages_listed"));
        QCOMPARE(page->payload.value("before").toString(), oldest);
        list = page->payload.value("list").toArray();
        QCOMPARE(list.size(), 30);
        QCOMPARE(list.first().toObject().value("body").toString(), QStringLiteral("m150"));
        QCOMPARE(list.last().toObject().value("body").toString(), QStringLiteral("m179"));
        QVERIFY(page->payload.value("has_more").toBool());

        // Default limit, then the last (short) page.
        page = b.request("list_messages",
                         {{"before", list.first().toObject().value("uuid")}, {"limit", 140}});
        QVERIFY(page);
        list = page->payload.value("list").toArray();
        QCOMPARE(list.size(), 140);
        QVERIFY(page->payload.value("has_more").toBool());
        page = b.request("list_messages", {{"before", list.first().toObject().value("uuid")}});
        QVERIFY(page);
        list = page->payload.value("list").toArray();
        QCOMPARE(list.size(), 10);
        QCOMPARE(list.first().toObject().value("body").toString(), QStringLiteral("m0"));
        QCOMPARE(page->payload.value("has_more").toBool(true), false);

        // Too large a limit is clamped to 200, not refused.
        page = b.request("list_messages", {{"limit", 500}});
        QVERIFY(page);
        QCOMPARE(page->name, QStringLiteral("messages_listed"));
        QCOMPARE(page->payload.value("list").toArray().size(), 200);
        QVERIFY(page->payload.value("has_more").toBool());

        auto e = b.request("list_messages", {{"before", protocol::newUuid()}});
        QVERIFY(e);
        QCOMPARE(e->name, QStringLiteral("no_such_message"));
        e = b.request("list_messages", {{"limit", 0}});
        QVERIFY(e);
        QCOMPARE(e->name, QStringLiteral("bad_data"));
        e = b.request("list_messages", {{"limit", "ten"}});
        QVERIFY(e);
        QCOMPARE(e->name, QStringLiteral("wrong_type"));

        // sum counts every message
        const auto rooms = b.request("list_rooms");
        QVERIFY(rooms);
        QCOMPARE(rooms->payload.value("list").toArray()[0].toObject().value("sum").toInt(), kCount);
    }

    void roomObjectsWithJsonLookingNamesStayIntact()
    {
        // Room objects are assembled from cached pieces (members spliced into the room, the
        // room into the envelope): names that look like the JSON around them change nothing.
        TestClient a, b;
        QVERIFY(a.openAndWelcome(m_server.url()));
        QVERIFY(b.openAndWelcome(m_server.url()));
        const QString roomName = QStringLiteral("\"users\":[],\"object\":{},\"list\":[] \\u0000");
        const QString userName = QStringLiteral("x\"}],\"users\":[]{");
        QCOMPARE(answerName(a.request("change_user_name", {{"name", userName}})),
                 QStringLiteral("user_changed"));
        const QString room = createRoom(a, {{"name", roomName}});
        QVERIFY(!room.isEmpty());
        QVERIFY(enterRoom(a, room));
        b.call("enter_room", {{"uuid", room}, {"client_id", roomName}});
        const auto entered = b.waitFor("room_entered");
        QVERIFY(entered);
        QCOMPARE(entered->payload.value("client_id").toString(), roomName);
        QJsonObject o = entered->object();
        QCOMPARE(o.value("name").toString(), roomName.trimmed());
        QCOMPARE(o.value("uuid").toString(), room);
        QJsonArray users = o.value("users").toArray();
        QCOMPARE(users.size(), 2);
        QCOMPARE(users[0].toObject().value("name").toString(), userName);
        QCOMPARE(users[0].toObject().value("room_uuid").toString(), room);
        QCOMPARE(users[1].toObject().value("uuid").toString(), b.userUuid());
        // rooms_listed and room_left are built the same way
        const auto listed = b.request("list_rooms");
        QVERIFY(listed);
        const QJsonArray rooms = listed->payload.value("list").toArray();
        QCOMPARE(rooms.size(), 1);
        QCOMPARE(rooms[0].toObject().value("users").toArray(), users);
        const auto left = b.request("leave_room");
        QVERIFY(left);
        QCOMPARE(left->name, QStringLiteral("room_left"));
        QCOMPARE(left->object().value("users").toArray().size(), 1);
        // and a rename shows in the next room object
        QCOMPARE(answerName(a.request("change_user_name", {{"name", "plain"}})),
                 QStringLiteral("user_changed"));
        const auto again = b.request("list_rooms");
        QVERIFY(again);
        users = again->payload.value("list").toArray()[0].toObject().value("users").toArray();
        QCOMPARE(users[0].toObject().value("name").toString(), QStringLiteral("plain"));
    }

    void bigBoardArrivesWholeAndFollowsChanges()
    {
        // 120 lines of 2000 points: drawing_got is ~3 MB, sent in several 512 KiB frames built
        // from the per-line encodings the server keeps; every change must show in the next one.
        TestClient a, b;
        QVERIFY(a.openAndWelcome(m_server.url()));
        QVERIFY(b.openAndWelcome(m_server.url()));
        const QString room = createRoom(a);
        QVERIFY(enterRoom(a, room));
        constexpr int kLines = 120;
        QStringList uuids;
        auto strokePoints = [](int line, double shift) {
            QJsonArray pts;
            for (int i = 0; i < 4000; ++i)
                pts.append(100.25 + line + (i % 400) * 0.5 + shift);
            return pts;
        };
        for (int l = 0; l < kLines; ++l) {
            uuids.append(protocol::newUuid());
            const auto s = a.request("change_draw_line", {{"uuid", uuids.last()},
                                                          {"points", strokePoints(l, 0)},
                                                          {"color", "#123456"},
                                                          {"tool", "pen"}});
            QVERIFY(s);
            QCOMPARE(s->name, QStringLiteral("draw_line_changed"));
        }
        QVERIFY(enterRoom(b, room));
        auto board = b.all("drawing_got").last().object().value("lines").toArray();
        QCOMPARE(board.size(), kLines);
        for (int l = 0; l < kLines; ++l) {
            QCOMPARE(board[l].toObject().value("uuid").toString(), uuids[l]);
            QCOMPARE(board[l].toObject().value("points").toArray(), strokePoints(l, 0));
        }
        // a line changes, another goes, one is added; a client_id that looks like JSON is echoed
        QCOMPARE(answerName(a.request("change_draw_line", {{"uuid", uuids[5]},
                                                           {"points", strokePoints(5, 7)},
                                                           {"color", "#123456"},
                                                           {"tool", "pen"}})),
                 QStringLiteral("draw_line_changed"));
        QCOMPARE(answerName(a.request("remove_draw_line", {{"uuid", uuids[7]}})),
                 QStringLiteral("draw_line_removed"));
        const QString added = protocol::newUuid();
        QCOMPARE(answerName(a.request("change_draw_line", {{"uuid", added},
                                                           {"points", points({1, 2, 3, 4})},
                                                           {"color", "#ffffff"},
                                                           {"tool", "eraser"}})),
                 QStringLiteral("draw_line_changed"));
        const QString oddId = QStringLiteral("\"lines\":[],\"x\":{}");
        b.skipAll();
        b.call("get_drawing", {{"client_id", oddId}});
        const auto got = b.waitFor("drawing_got");
        QVERIFY(got);
        QCOMPARE(got->payload.value("client_id").toString(), oddId);
        board = got->object().value("lines").toArray();
        QCOMPARE(board.size(), kLines);
        QCOMPARE(board[5].toObject().value("points").toArray(), strokePoints(5, 7));
        QCOMPARE(board[6].toObject().value("uuid").toString(), uuids[6]);
        QCOMPARE(board[7].toObject().value("uuid").toString(), uuids[8]);
        QCOMPARE(board.last().toObject().value("uuid").toString(), added);
        QCOMPARE(board.last().toObject().value("tool").toString(), QStringLiteral("eraser"));
        // cleared: an empty board, and the drawing object keeps its keys
        QCOMPARE(answerName(a.request("reset_drawing")), QStringLiteral("drawing_got"));
        const auto empty = b.request("get_drawing");
        QVERIFY(empty);
        QCOMPARE(empty->name, QStringLiteral("drawing_got"));
        QCOMPARE(empty->object().value("lines").toArray().size(), 0);
        QVERIFY(empty->object().value("name").toString().startsWith("drawing-"));
    }

    void drawLines()
    {
        server::ServerOptions options;
        options.limits.pointsPerLine = 2; // x,y pairs: four numbers
        options.limits.linesPerRoom = 3;
        m_server.stop();
        QVERIFY(startServer(options));
        TestClient a, b;
        const QString room = openBothAndEnter(a, b, m_server.url());
        QVERIFY(!room.isEmpty());

        const QString line = protocol::newUuid();
        const QJsonObject stroke{{"uuid", line},
                                 {"points", points({1, 2, 3, 4})},
                                 {"color", "#FF0000"},
                                 {"tool", "pen"},
                                 {"width", 3}};
        auto s = a.request("change_draw_line", stroke);
        QVERIFY(s);
        QCOMPARE(s->name, QStringLiteral("draw_line_changed"));
        QJsonObject got = s->object();
        QCOMPARE(got.value("uuid").toString(), line);
        QCOMPARE(got.value("name").toString(), "line-" + line);
        QCOMPARE(got.value("points").toArray(), points({1, 2, 3, 4}));
        QCOMPARE(got.value("color").toString(), QStringLiteral("#ff0000"));
        QCOMPARE(got.value("user_uuid").toString(), a.userUuid());
        QCOMPARE(got.value("width").toDouble(), 3.0);
        auto atB = b.waitFor("draw_line_changed");
        QVERIFY(atB);
        QCOMPARE(atB->object().value("points").toArray(), points({1, 2, 3, 4}));

        // Update: the same uuid replaces the points ...
        QJsonObject update = stroke;
        update.insert("points", points({5, 6}));
        s = a.request("change_draw_line", update);
        QVERIFY(s);
        QCOMPARE(s->object().value("points").toArray(), points({5, 6}));
        // ... or, with append, adds to them; everyone gets the full line.
        update.insert("points", points({7, 8}));
        update.insert("append", true);
        s = a.request("change_draw_line", update);
        QVERIFY(s);
        QCOMPARE(s->object().value("points").toArray(), points({5, 6, 7, 8}));
        QVERIFY(b.waitForCount("draw_line_changed", 3));
        QCOMPARE(b.all("draw_line_changed").last().object().value("points").toArray(),
                 points({5, 6, 7, 8}));
        // Over the points limit by appending
        update.insert("points", points({9, 9}));
        s = a.request("change_draw_line", update);
        QVERIFY(s);
        QCOMPARE(s->name, QStringLiteral("data_too_long"));
        // Over it in one go (validator) and an odd count
        update.insert("append", false);
        update.insert("points", points({1, 1, 2, 2, 3, 3}));
        s = a.request("change_draw_line", update);
        QVERIFY(s);
        QCOMPARE(s->name, QStringLiteral("data_too_long"));
        update.insert("points", points({1, 1, 2}));
        s = a.request("change_draw_line", update);
        QVERIFY(s);
        QCOMPARE(s->name, QStringLiteral("bad_data"));
        // Someone else's line
        s = b.request("change_draw_line", stroke);
        QVERIFY(s);
        QCOMPARE(s->name, QStringLiteral("not_your_line"));
        s = b.request("remove_draw_line", {{"uuid", line}});
        QVERIFY(s);
        QCOMPARE(s->name, QStringLiteral("not_your_line"));
        s = b.request("remove_draw_line", {{"uuid", protocol::newUuid()}});
        QVERIFY(s);
        QCOMPARE(s->name, QStringLiteral("no_such_line"));

        // Board limit: three lines in all.
        QJsonObject other = stroke;
        other.insert("uuid", protocol::newUuid());
        QCOMPARE(answerName(b.request("change_draw_line", other)),
                 QStringLiteral("draw_line_changed"));
        other.insert("uuid", protocol::newUuid());
        QCOMPARE(answerName(b.request("change_draw_line", other)),
                 QStringLiteral("draw_line_changed"));
        other.insert("uuid", protocol::newUuid());
        s = b.request("change_draw_line", other);
        QVERIFY(s);
        QCOMPARE(s->name, QStringLiteral("too_many_lines"));

        // A late joiner gets the whole board.
        TestClient c;
        QVERIFY(c.openAndWelcome(m_server.url()));
        QVERIFY(enterRoom(c, room));
        auto drawing = c.all("drawing_got").last().object();
        QCOMPARE(drawing.value("lines").toArray().size(), 3);
        QCOMPARE(drawing.value("lines").toArray()[0].toObject().value("points").toArray(),
                 points({5, 6, 7, 8}));

        // Undo: the author removes the line; every member hears it.
        s = a.request("remove_draw_line", {{"uuid", line}});
        QVERIFY(s);
        QCOMPARE(s->name, QStringLiteral("draw_line_removed"));
        QCOMPARE(s->payload.value("uuid").toString(), line);
        QCOMPARE(s->object().value("uuid").toString(), line);
        QVERIFY(c.waitFor("draw_line_removed"));
        s = c.request("get_drawing");
        QVERIFY(s);
        QCOMPARE(s->name, QStringLiteral("drawing_got"));
        QCOMPARE(s->object().value("lines").toArray().size(), 2);
        QCOMPARE(s->object().value("uuid").toString(), protocol::Drawing::uuidForRoom(room));

        // Reset: an empty board for every member.
        c.skipAll();
        s = a.request("reset_drawing");
        QVERIFY(s);
        QCOMPARE(s->name, QStringLiteral("drawing_got"));
        QCOMPARE(s->object().value("lines").toArray().size(), 0);
        const auto reset = c.waitFor("drawing_got");
        QVERIFY(reset);
        QCOMPARE(reset->object().value("lines").toArray().size(), 0);
        s = b.request("get_drawing");
        QVERIFY(s);
        QCOMPARE(s->object().value("lines").toArray().size(), 0);
    }

    void typing()
    {
        TestClient a, b, outside;
        QVERIFY(a.openAndWelcome(m_server.url()));
        QVERIFY(b.openAndWelcome(m_server.url()));
        QVERIFY(outside.openAndWelcome(m_server.url()));
        const QString room = createRoom(a);
        QVERIFY(enterRoom(a, room));
        QVERIFY(enterRoom(b, room));
        a.call("typing");
        const auto t = b.waitFor("user_typing");
        QVERIFY(t);
        QCOMPARE(t->object().value("uuid").toString(), a.userUuid());
        // a message after the typing notice: when it arrives, a typing notice to a or to
        // someone outside would have arrived too (one connection keeps its order).
        QCOMPARE(answerName(say(a, "done")), QStringLiteral("message_created"));
        QVERIFY(b.waitFor("message_created"));
        QCOMPARE(answerName(outside.request("list_rooms")), QStringLiteral("rooms_listed"));
        QCOMPARE(a.count("user_typing"), 0);
        QCOMPARE(outside.count("user_typing"), 0);
    }

    void clientIdEchoedOnEveryDirectAnswer()
    {
        TestClient a;
        QVERIFY(a.openAndWelcome(m_server.url()));
        a.call("no_such_call", {{"client_id", "x-9"}});
        const auto e = a.waitFor("unknown_call");
        QVERIFY(e);
        QVERIFY(e->isError());
        QCOMPARE(e->payload.value("client_id").toString(), QStringLiteral("x-9"));
        QCOMPARE(e->payload.value("call").toString(), QStringLiteral("no_such_call"));
        const QString room = createRoom(a);
        a.call("enter_room", {{"uuid", room}, {"client_id", "e-1"}});
        for (const char *name : {"room_entered", "messages_listed", "drawing_got"}) {
            const auto s = a.waitFor(QLatin1String(name));
            QVERIFY(s);
            QCOMPARE(s->payload.value("client_id").toString(), QStringLiteral("e-1"));
        }
        const auto auth = a.request("authenticate", {{"password", "anything"}});
        QVERIFY(auth);
        QCOMPARE(auth->name, QStringLiteral("authenticated")); // no password on this server
    }
};

QTEST_GUILESS_MAIN(TestServerCalls)
#include "tst_server_calls.moc"
