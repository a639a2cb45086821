// A client that talks exactly like the original socket_chat front end (type "call", no
// extensions, no client_id) gets the original shapes: same names, keys and JSON types.
#include "protocol/colors.h"
#include "server_steps.h"
#include "test_server.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace chalk;
using namespace chalk::test;

namespace {

// (moc misreads '#' inside raw strings, so calls with colours are written with escapes.)
// The original's keys must all be there with their JSON types; extra keys (ours) are allowed.
bool hasShape(const QJsonObject &o, const QList<std::pair<const char *, QJsonValue::Type>> &keys,
              QString *why)
{
    for (const auto &[key, type] : keys) {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.type() != type) {
            *why = QStringLiteral("key %1 has type %2 in %3")
                       .arg(QLatin1String(key))
                       .arg(int(v.type()))
                       .arg(QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)));
            return false;
        }
    }
    return true;
}

#define VERIFY_SHAPE(object, ...)                                                                  \
    do {                                                                                           \
        QString why;                                                                               \
        QVERIFY2(hasShape(object, __VA_ARGS__, &why), qPrintable(why));                            \
    } while (false)

using T = QJsonValue::Type;
const QList<std::pair<const char *, T>> kUser{
    {"uuid", T::String}, {"name", T::String}, {"room_uuid", T::Null}};
const QList<std::pair<const char *, T>> kUserInRoom{
    {"uuid", T::String}, {"name", T::String}, {"room_uuid", T::String}};
const QList<std::pair<const char *, T>> kRoom{{"uuid", T::String},
                                              {"name", T::String},
                                              {"color", T::String},
                                              {"users", T::Array},
                                              {"sum", T::Double}};
const QList<std::pair<const char *, T>> kMessage{{"uuid", T::String},      {"body", T::String},
                                                 {"name", T::String},      {"user", T::Object},
                                                 {"room_uuid", T::String}, {"created", T::String}};
const QList<std::pair<const char *, T>> kDrawing{
    {"uuid", T::String}, {"name", T::String}, {"lines", T::Array}};
const QList<std::pair<const char *, T>> kLine{{"uuid", T::String},
                                              {"name", T::String},
                                              {"points", T::Array},
                                              {"tool", T::String},
                                              {"color", T::String}};

const QStringList kRoomNoise{QStringLiteral("room_changed")};

} // namespace

class TestServerOriginal : public QObject {
    Q_OBJECT

    TestServer m_server;

private slots:
    void init() { QVERIFY(m_server.start()); }
    void cleanup() { m_server.stop(); }

    void originalSession()
    {
        TestClient c, peer;
        QVERIFY(c.open(m_server.url()));
        auto s = c.next();
        QVERIFY(s);
        QCOMPARE(s->type, QStringLiteral("result"));
        QCOMPARE(s->name, QStringLiteral("user_created"));
        VERIFY_SHAPE(s->object(), kUser);
        s = c.next();
        QVERIFY(s);
        QCOMPARE(s->name, QStringLiteral("rooms_listed"));
        QVERIFY(s->payload.value("list").isArray());
        QVERIFY(peer.openAndWelcome(m_server.url()));

        c.sendText(R"({"type":"call","payload":{"message":"create_room"}})");
        s = c.next(kRoomNoise);
        QVERIFY(s);
        QCOMPARE(s->name, QStringLiteral("room_created"));
        QCOMPARE(s->type, QStringLiteral("result"));
        QVERIFY(!s->payload.contains("client_id"));
        const QJsonObject room = s->object();
        VERIFY_SHAPE(room, kRoom);
        QVERIFY(protocol::roomPalette().contains(room.value("color").toString()));
        const QString uuid = room.value("uuid").toString();

        c.sendText(
            QStringLiteral(R"({"type":"call","payload":{"message":"enter_room","uuid":"%1"}})")
                .arg(uuid));
        s = c.next(kRoomNoise);
        QVERIFY(s);
        QCOMPARE(s->name, QStringLiteral("room_entered"));
        s = c.next(kRoomNoise);
        QVERIFY(s);
        QCOMPARE(s->name, QStringLiteral("messages_listed"));
        QVERIFY(s->payload.value("list").isArray());
        s = c.next(kRoomNoise);
        QVERIFY(s);
        QCOMPARE(s->name, QStringLiteral("drawing_got"));
        VERIFY_SHAPE(s->object(), kDrawing);

        // room_changed reaches the other connection with the original room shape
        const auto changed = peer.waitFor("room_changed");
        QVERIFY(changed);
        VERIFY_SHAPE(changed->object(), kRoom);
        VERIFY_SHAPE(changed->object().value("users").toArray()[0].toObject(), kUserInRoom);

        c.sendText(R"({"type":"call","payload":{"message":"create_message","body":"hi"}})");
        s = c.next(kRoomNoise);
        QVERIFY(s);
        QCOMPARE(s->name, QStringLiteral("message_created"));
        VERIFY_SHAPE(s->object(), kMessage);
        VERIFY_SHAPE(s->object().value("user").toObject(), kUserInRoom);
        QVERIFY(!s->object().contains("client_id"));

        c.sendText(R"({"type":"call","payload":{"message":"list_messages"}})");
        s = c.next(kRoomNoise);
        QVERIFY(s);
        QCOMPARE(s->name, QStringLiteral("messages_listed"));
        QCOMPARE(s->payload.value("list").toArray().size(), 1);
        VERIFY_SHAPE(s->payload.value("list").toArray()[0].toObject(), kMessage);

        c.sendText(R"({"type":"call","payload":{"message":"change_draw_line",)"
                   R"("uuid":"0b5e7c9a-1d2e-4f3a-8b4c-5d6e7f8a9b0c","points":[10,20,30,40.5],)"
                   "\"color\":\"#ff0000\",\"tool\":\"pen\"}}");
        s = c.next(kRoomNoise);
        QVERIFY(s);
        QCOMPARE(s->name, QStringLiteral("draw_line_changed"));
        VERIFY_SHAPE(s->object(), kLine);
        QCOMPARE(s->object().value("points").toArray(), points({10, 20, 30, 40.5}));

        c.sendText(R"({"type":"call","payload":{"message":"get_drawing"}})");
        s = c.next(kRoomNoise);
        QVERIFY(s);
        QCOMPARE(s->name, QStringLiteral("drawing_got"));
        QCOMPARE(s->object().value("lines").toArray().size(), 1);
        VERIFY_SHAPE(s->object().value("lines").toArray()[0].toObject(), kLine);

        c.sendText(R"({"type":"call","payload":{"message":"reset_drawing"}})");
        s = c.next(kRoomNoise);
        QVERIFY(s);
        QCOMPARE(s->name, QStringLiteral("drawing_got"));
        QCOMPARE(s->object().value("lines").toArray().size(), 0);

        c.sendText(
            R"({"type":"call","payload":{"message":"change_user_name","name":"Old School"}})");
        s = c.next(kRoomNoise);
        QVERIFY(s);
        QCOMPARE(s->name, QStringLiteral("user_changed"));
        VERIFY_SHAPE(s->object(), kUserInRoom);

        c.sendText(
            QStringLiteral(
                "{\"type\":\"call\",\"payload\":{\"message\":\"change_color\",\"uuid\":\"%1\","
                "\"color\":\"#5da247\"}}")
                .arg(uuid));
        c.sendText(
            QStringLiteral(
                R"({"type":"call","payload":{"message":"change_name","uuid":"%1","name":"Renamed"}})")
                .arg(uuid));
        QVERIFY(QTest::qWaitFor(
            [&] {
                for (const Statement &st : c.all("room_changed")) {
                    if (st.object().value("name").toString() == QLatin1String("Renamed") &&
                        st.object().value("color").toString() == QLatin1String("#5da247"))
                        return true;
                }
                return false;
            },
            10000));

        c.skipAll();
        c.sendText(R"({"type":"call","payload":{"message":"leave_room"}})");
        s = c.next(kRoomNoise);
        QVERIFY(s);
        QCOMPARE(s->name, QStringLiteral("room_left"));

        c.sendText(
            QStringLiteral(R"({"type":"call","payload":{"message":"delete_room","uuid":"%1"}})")
                .arg(uuid));
        s = c.next(kRoomNoise);
        QVERIFY(s);
        QCOMPARE(s->name, QStringLiteral("room_deleted"));
        VERIFY_SHAPE(s->object(), kRoom);
        QVERIFY(peer.waitFor("room_deleted"));

        c.sendText(R"({"type":"call","payload":{"message":"list_rooms"}})");
        s = c.next(kRoomNoise);
        QVERIFY(s);
        QCOMPARE(s->name, QStringLiteral("rooms_listed"));
        QCOMPARE(s->payload.value("list").toArray().size(), 0);

        // Original errors, with "type": "error" and the original names.
        c.sendText(R"({"type":"call","payload":{"message":"create_message","body":"x"}})");
        s = c.next(kRoomNoise);
        QVERIFY(s);
        QCOMPARE(s->type, QStringLiteral("error"));
        QCOMPARE(s->name, QStringLiteral("no_selected_room"));
        // The original front end sent no "type" on some builds: accepted.
        c.sendText(R"({"payload":{"message":"list_rooms"}})");
        s = c.next(kRoomNoise);
        QVERIFY(s);
        QCOMPARE(s->name, QStringLiteral("rooms_listed"));
    }
};

QTEST_GUILESS_MAIN(TestServerOriginal)
#include "tst_server_original.moc"
