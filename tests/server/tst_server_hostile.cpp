// Hostile input: a corpus of broken statements, each answered with an error statement while
// the same connection keeps serving; oversized frames; invalid UTF-8; markup kept verbatim.
#include "protocol/objects.h"
#include "raw_websocket.h"
#include "server/storage/memory_storage.h"
#include "server_steps.h"
#include "slow_storage.h"
#include "test_server.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpSocket>
#include <QTest>

using namespace chalk;
using namespace chalk::test;

namespace {

struct Bad {
    const char *label;
    QString text;
    QStringList errors; // acceptable error names
};

QString callText(const QString &name, const QString &fieldsJson = {})
{
    return QStringLiteral(R"({"type":"call","payload":{"message":"%1"%2}})")
        .arg(name, fieldsJson.isEmpty() ? QString() : QStringLiteral(",") + fieldsJson);
}

QList<Bad> corpus()
{
    const QString uuid = protocol::newUuid();
    const QString line = QStringLiteral(R"("uuid":"%1","color":"#000","tool":"pen")").arg(uuid);
    const QStringList bad{"bad_data"};
    const QStringList wrong{"wrong_type"};
    const QStringList missing{"not_sufficient_data"};
    const QStringList tooLong{"data_too_long"};
    return {
        {"not json", "not json", bad},
        {"open brace", "{", bad},
        {"empty text", "", bad},
        {"array", "[]", bad},
        {"string", R"("call")", bad},
        {"number", "42", bad},
        {"null", "null", bad},
        {"empty object", "{}", missing},
        {"no payload", R"({"type":"call"})", missing},
        {"payload array", R"({"type":"call","payload":[]})", wrong},
        {"payload string", R"({"type":"call","payload":"x"})", wrong},
        {"no message", R"({"type":"call","payload":{}})", missing},
        {"message number", R"({"type":"call","payload":{"message":7}})", wrong},
        {"unknown call", callText("fly"), {"unknown_call"}},
        {"result type", R"({"type":"result","payload":{"message":"create_room"}})", bad},
        {"error type", R"({"type":"error","payload":{"message":"create_room"}})", bad},
        {"type number", R"({"type":7,"payload":{"message":"create_room"}})", bad},
        {"uuid missing", callText("enter_room"), missing},
        {"uuid number", callText("enter_room", R"("uuid":7)"), wrong},
        // Text that is no uuid names no room: the original's answer (issue 9, item 7).
        {"uuid garbage", callText("enter_room", R"("uuid":"not-a-uuid")"), {"no_specified_room"}},
        {"uuid markup", callText("delete_room", R"("uuid":"<script>alert(1)</script>")"),
         {"no_specified_room"}},
        {"colour markup",
         callText("change_color", QStringLiteral(R"("uuid":"%1","color":"<b>red</b>")").arg(uuid)),
         {"not_valid_color"}},
        {"colour short",
         callText("change_color", QStringLiteral(R"("uuid":"%1","color":"#12345")").arg(uuid)),
         {"not_valid_color"}},
        {"name empty", callText("change_user_name", R"("name":"")"), bad},
        {"name blank", callText("change_user_name", R"("name":"   ")"), bad},
        {"name control", callText("change_user_name", R"("name":"a\u0001b")"), bad},
        {"name DEL", callText("change_user_name", R"("name":"a\u007fb")"), bad},
        {"name newline", callText("change_user_name", R"("name":"a\nb")"), bad},
        {"name too long",
         callText("change_user_name", QStringLiteral(R"("name":"%1")").arg(QString(65, 'n'))),
         tooLong},
        {"name null",
         callText("change_user_name", R"("name":null)"),
         {"wrong_type", "not_sufficient_data"}},
        {"name object", callText("change_user_name", R"("name":{})"), wrong},
        {"name array", callText("change_user_name", R"("name":["a"])"), wrong},
        {"body bool", callText("create_message", R"("body":true)"), wrong},
        {"body too long",
         callText("create_message", QStringLiteral(R"("body":"%1")").arg(QString(4001, 'b'))),
         tooLong},
        {"body NUL", callText("create_message", R"("body":"a\u0000b")"), bad},
        {"points string", callText("change_draw_line", line + R"(,"points":"1,2")"), wrong},
        {"points mixed", callText("change_draw_line", line + R"(,"points":[1,"2"])"), wrong},
        {"points odd", callText("change_draw_line", line + R"(,"points":[1,2,3])"), bad},
        {"points huge", callText("change_draw_line", line + R"(,"points":[1e300,1])"), bad},
        {"points nested", callText("change_draw_line", line + R"(,"points":[[1,2],[3,4]])"), wrong},
        {"tool unknown",
         callText(
             "change_draw_line",
             QStringLiteral(R"("uuid":"%1","color":"#000","tool":"brush","points":[])").arg(uuid)),
         bad},
        {"width negative", callText("change_draw_line", line + R"(,"points":[],"width":-1)"), bad},
        {"append string", callText("change_draw_line", line + R"(,"points":[],"append":"yes")"),
         wrong},
        {"limit fraction", callText("list_messages", R"("limit":1.5)"), bad},
        {"limit negative", callText("list_messages", R"("limit":-5)"), bad},
        {"client_id number", callText("list_rooms", R"("client_id":7)"), wrong},
        {"client_id empty", callText("list_rooms", R"("client_id":"")"), bad},
        {"client_id control", callText("list_rooms", R"("client_id":"a\u0007")"), bad},
        {"client_id long",
         callText("list_rooms", QStringLiteral(R"("client_id":"%1")").arg(QString(65, 'c'))), bad},
        {"duplicate keys", callText("enter_room", R"("uuid":1,"uuid":2)"), wrong},
        {"deeply nested value",
         callText("create_room",
                  QStringLiteral(R"("name":%1%2)").arg(QString(5000, '['), QString(5000, ']'))),
         {"bad_data", "wrong_type"}},
        {"deeply nested document", QString(30000, '[') + QString(30000, ']'), bad},
        {"lone surrogate name",
         QStringLiteral(R"({"type":"call","payload":{"message":"x%1"}})").arg(QChar(0xD800)),
         {"unknown_call", "bad_data"}},
        {"NUL in document", QStringLiteral("{\"type\":\"call\",") + QChar(0) + "}", bad},
        {"trailing garbage", callText("list_rooms") + "xyz", bad},
        {"leave outside a room", callText("leave_room"), {"no_specified_room"}},
        {"message outside a room",
         callText("create_message", R"("body":"hi")"),
         {"no_selected_room"}},
        {"undo outside a room",
         callText("remove_draw_line", QStringLiteral(R"("uuid":"%1")").arg(uuid)),
         {"no_selected_room"}},
    };
}

} // namespace

class TestServerHostile : public QObject {
    Q_OBJECT

    TestServer m_server;

private slots:
    void cleanup() { m_server.stop(); }

    void corpusIsAnsweredAndTheConnectionServes()
    {
        QVERIFY(m_server.start());
        TestClient c;
        QVERIFY(c.openAndWelcome(m_server.url()));
        const QList<Bad> bad = corpus();
        QVERIFY(bad.size() >= 40);
        for (const Bad &b : bad) {
            c.skipAll();
            c.sendText(b.text);
            const auto answer = c.next({"room_changed", "room_created"});
            QVERIFY2(answer, b.label);
            QVERIFY2(answer->isError(),
                     qPrintable(QString::fromLatin1(b.label) + ": " + answer->text));
            QVERIFY2(b.errors.contains(answer->name),
                     qPrintable(QString::fromLatin1(b.label) + ": " + answer->text));
            QVERIFY2(!answer->payload.value("detail").toString().isEmpty(), b.label);
            QVERIFY2(c.isConnected(), b.label);
        }
        // Binary frames are not statements: invalid UTF-8 and even a valid call.
        c.skipAll();
        c.sendBinary(QByteArray("\xff\xfe\xfd\x00\x80", 5));
        auto answer = c.next();
        QVERIFY(answer);
        QCOMPARE(answer->name, QStringLiteral("bad_data"));
        c.sendBinary(callText("list_rooms").toUtf8());
        answer = c.next();
        QVERIFY(answer);
        QCOMPARE(answer->name, QStringLiteral("bad_data"));

        // The same connection still serves, and its user is intact.
        const QString room = createRoom(c);
        QVERIFY(!room.isEmpty());
        QVERIFY(enterRoom(c, room));
        const auto ack = say(c, "still fine");
        QVERIFY(ack);
        QCOMPARE(ack->name, QStringLiteral("message_created"));
        QCOMPARE(m_server.server->sessionCount(), 1);
        qInfo() << bad.size() + 2 << "hostile statements answered";
    }

    void markupIsKeptVerbatim()
    {
        QVERIFY(m_server.start());
        TestClient a, b;
        QVERIFY(a.openAndWelcome(m_server.url()));
        QVERIFY(b.openAndWelcome(m_server.url()));
        const QString room = createRoom(a, {{"name", "<i>room</i>"}});
        QVERIFY(enterRoom(a, room));
        QVERIFY(enterRoom(b, room));
        const QString body =
            "<b>bold</b> <script>alert('x')</script> &amp; <img src=x onerror=1>\n\ttab";
        QCOMPARE(answerName(say(a, body)), QStringLiteral("message_created"));
        const auto got = b.waitFor("message_created");
        QVERIFY(got);
        QCOMPARE(got->object().value("body").toString(), body); // plain text, the client's job
        const auto rooms = b.request("list_rooms");
        QVERIFY(rooms);
        QCOMPARE(rooms->payload.value("list").toArray()[0].toObject().value("name").toString(),
                 QStringLiteral("<i>room</i>"));
    }

    void megabyteStringsUnderARaisedLimit()
    {
        server::ServerOptions options;
        options.limits.statementBytes = 2 * 1024 * 1024;
        QVERIFY(m_server.start(options));
        TestClient c;
        const QString room = openAndEnter(c, m_server.url());
        QVERIFY(!room.isEmpty());
        const QString mib(1024 * 1024, QLatin1Char('x'));
        for (const auto &[call, field] :
             {std::pair{"create_message", "body"}, std::pair{"change_user_name", "name"},
              std::pair{"create_room", "name"}, std::pair{"authenticate", "password"},
              std::pair{"resume", "token"}}) {
            const auto e = c.request(QLatin1String(call), {{QLatin1String(field), mib}});
            QVERIFY2(e, call);
            QCOMPARE(e->name, QStringLiteral("data_too_long"));
            QCOMPARE(e->payload.value("field").toString(), QLatin1String(field));
        }
        c.skipAll();
        c.sendText(mib); // a megabyte of not-JSON
        const auto e = c.next();
        QVERIFY(e);
        QCOMPARE(e->name, QStringLiteral("bad_data"));
        QCOMPARE(answerName(say(c, "after the megabytes")), QStringLiteral("message_created"));
    }

    void frameOverTheLimitCloses1009()
    {
        QVERIFY(m_server.start()); // 64 KiB
        TestClient big, other;
        QVERIFY(big.openAndWelcome(m_server.url()));
        QVERIFY(other.openAndWelcome(m_server.url()));
        big.sendText(callText("create_message",
                              QStringLiteral(R"("body":"%1")").arg(QString(100 * 1024, 'x'))));
        // Qt refuses the frame before we see it and closes with 1009 (too much data).
        QVERIFY(big.waitClosed());
        QCOMPARE(big.closeCode(), int(QWebSocketProtocol::CloseCodeTooMuchData));
        QCOMPARE(answerName(other.request("list_rooms")), QStringLiteral("rooms_listed"));
        QVERIFY(QTest::qWaitFor([&] { return m_server.server->sessionCount() == 1; }, 10000));
    }

    void floodBeyondTheQueueIsRefused()
    {
        // Calls wait in a per-connection queue while storage works; beyond 256 waiting calls
        // the server answers rate_limited instead of letting the queue (and memory) grow.
        QVERIFY(m_server.start(withoutRateLimits(), std::make_unique<SlowStorage>(
                                                        std::make_unique<server::MemoryStorage>(),
                                                        std::chrono::milliseconds(5))));
        TestClient c;
        const QString room = openAndEnter(c, m_server.url());
        QVERIFY(!room.isEmpty());
        constexpr int kFlood = 600;
        for (int i = 0; i < kFlood; ++i)
            c.call("create_message", {{"body", QStringLiteral("f%1").arg(i)}});
        QVERIFY(QTest::qWaitFor(
            [&] { return c.count("message_created") + c.count("rate_limited") == kFlood; }, 60000));
        QVERIFY(c.count("rate_limited") > 0);
        QVERIFY(c.count("message_created") >= 256);
        QVERIFY(c.isConnected());
        const auto ack = say(c, "after the flood");
        QVERIFY(ack);
        QCOMPARE(ack->name, QStringLiteral("message_created"));
    }

    void slowReaderIsCutOff()
    {
        server::ServerOptions options = withoutRateLimits();
        options.maxPendingBytes = 256 * 1024;
        QVERIFY(m_server.start(options));
        TestClient talker, listener;
        const QString room = openBothAndEnter(talker, listener, m_server.url());
        QVERIFY(!room.isEmpty());
        // A member that never reads: small kernel buffer, no reading after the handshake.
        auto raw = rawWebSocket(m_server.url());
        QVERIFY(raw);
        raw->setReadBufferSize(1024);
        raw->setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 4096);
        rawEnterRoom(*raw, room);
        QVERIFY(QTest::qWaitFor([&] { return m_server.server->sessionCount() == 3; }, 10000));
        QVERIFY(waitForMembers(talker, 3));

        const QString body(3900, QLatin1Char('z'));
        int sent = 0;
        // Talk until the server gives up on the reader (bounded: ~40 MB at most).
        while (m_server.server->sessionCount() == 3 && sent < 10000) {
            for (int i = 0; i < 50; ++i, ++sent)
                talker.call("create_message", {{"body", body}});
            QVERIFY(talker.waitForCount("message_created", sent, 30000));
        }
        QCOMPARE(m_server.server->sessionCount(), 2);
        qInfo() << "reader cut off after" << sent << "messages of" << body.size() << "bytes";
        // The reading members got everything and stay connected.
        QVERIFY(listener.waitForCount("message_created", sent, 30000));
        QVERIFY(talker.isConnected() && listener.isConnected());
        QCOMPARE(answerName(say(talker, "after the cut")), QStringLiteral("message_created"));
    }

    void bigAnswerIsNotBackpressureButRepeatedOnesAre()
    {
        server::ServerOptions options = withoutRateLimits();
        options.maxPendingBytes = 256 * 1024;
        QVERIFY(m_server.start(options));
        TestClient talker;
        const QString room = openAndEnter(talker, m_server.url());
        QVERIFY(!room.isEmpty());
        // A board of ~560 KB: more than the backpressure limit in one answer.
        for (int l = 0; l < 20; ++l) {
            QJsonArray pts;
            for (int i = 0; i < 4000; ++i)
                pts.append(100.125 + i % 300);
            QCOMPARE(answerName(talker.request("change_draw_line", {{"uuid", protocol::newUuid()},
                                                                    {"points", pts},
                                                                    {"color", "#000"},
                                                                    {"tool", "pen"}})),
                     QStringLiteral("draw_line_changed"));
        }
        auto raw = rawWebSocket(m_server.url());
        QVERIFY(raw);
        raw->setReadBufferSize(1024);
        raw->setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 4096);
        rawEnterRoom(*raw, room);
        QVERIFY(waitForMembers(talker, 2));
        // The answer it asked for is not held against it: it stays while the room talks.
        for (int i = 0; i < 5; ++i)
            QCOMPARE(answerName(say(talker, QStringLiteral("m%1").arg(i))),
                     QStringLiteral("message_created"));
        QCOMPARE(m_server.server->sessionCount(), 2);
        // Asking for the board again and again without reading is (once the kernel's socket
        // buffer is full too: bounded here at 40 answers, ~22 MB).
        int asked = 0;
        while (m_server.server->sessionCount() == 2 && asked < 40) {
            raw->write(maskedTextFrame(R"({"type":"call","payload":{"message":"get_drawing"}})"));
            ++asked;
            QTest::qWait(50);
        }
        QCOMPARE(m_server.server->sessionCount(), 1);
        qInfo() << "cut off after" << asked << "unread boards";
        QCOMPARE(answerName(say(talker, "still here")), QStringLiteral("message_created"));
    }

    void silentPeerIsDroppedByTheHeartbeat()
    {
        server::ServerOptions options;
        options.heartbeatIntervalMs = 1500;
        options.heartbeatTimeoutMs = 1000; // generous: the test machine is noisy
        QVERIFY(m_server.start(options));
        TestClient alive; // QWebSocket answers pings by itself
        const QString room = openAndEnter(alive, m_server.url());
        QVERIFY(!room.isEmpty());
        auto raw = rawWebSocket(m_server.url()); // never answers anything
        QVERIFY(raw);
        rawEnterRoom(*raw, room);
        QVERIFY(QTest::qWaitFor([&] { return m_server.server->sessionCount() == 2; }, 10000));
        QVERIFY(QTest::qWaitFor([&] { return m_server.server->sessionCount() == 1; }, 20000));
        // The silent member left its room; the answering client lived through the same pings.
        QVERIFY(waitForMembers(alive, 1));
        QVERIFY(alive.isConnected());
        QCOMPARE(answerName(say(alive, "still here")), QStringLiteral("message_created"));
        QCOMPARE(m_server.server->sessionCount(), 1);
    }

    void invalidUtf8TextFrameCloses1007()
    {
        // RFC 6455 8.1: a text frame that is not UTF-8 fails the connection (Qt closes with
        // 1007); the server itself and every other connection go on.
        QVERIFY(m_server.start());
        TestClient other;
        QVERIFY(other.openAndWelcome(m_server.url()));
        auto raw = rawWebSocket(m_server.url());
        QVERIFY(raw);
        raw->write(maskedTextFrame(QByteArray("{\"a\":\"\xff\xfe\"}")));
        QByteArray got;
        QVERIFY(QTest::qWaitFor(
            [&] {
                got += raw->readAll();
                return raw->state() == QAbstractSocket::UnconnectedState ||
                       got.contains(QByteArray("\x88\x02\x03\xef", 4)) || got.contains("\x03\xef");
            },
            10000));
        QVERIFY(got.contains(QByteArray("\x03\xef", 2))); // close code 1007
        QCOMPARE(answerName(other.request("list_rooms")), QStringLiteral("rooms_listed"));
    }
};

QTEST_GUILESS_MAIN(TestServerHostile)
#include "tst_server_hostile.moc"
