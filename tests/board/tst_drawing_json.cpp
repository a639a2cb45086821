// decodeDrawingGot (how ChatClient reads a big drawing_got) gives exactly what the ordinary
// path (decodeEnvelope + Drawing::fromJson of the payload's object) gives, and refuses what
// is not a well-formed drawing_got so that the ordinary path handles it.
#include "protocol/codec.h"
#include "protocol/drawing_json.h"
#include "protocol/statements.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>

using namespace chalk;
using protocol::Drawing;
using protocol::Line;

namespace {

// What ChatClient did before (and still does for small frames).
std::optional<Drawing> reference(const QByteArray &text)
{
    const auto env = protocol::decodeEnvelope(text);
    if (!env)
        return std::nullopt;
    for (const char *key : {"object", "room", "user", "message", "drawing", "line"}) {
        const QJsonValue v = env->payload.value(QLatin1String(key));
        if (v.isObject())
            return Drawing::fromJson(v.toObject());
    }
    return Drawing::fromJson({});
}

bool sameLine(const Line &a, const Line &b)
{
    return a.uuid == b.uuid && a.points == b.points && a.tool == b.tool && a.color == b.color &&
           a.width == b.width && a.userUuid == b.userUuid;
}

} // namespace

class TestDrawingJson : public QObject {
    Q_OBJECT
private slots:
    void bigDrawingAsTheOrdinaryPath();
    void oddButValidInputAsTheOrdinaryPath_data();
    void oddButValidInputAsTheOrdinaryPath();
    void otherStatementsAndBadJsonAreLeftAlone_data();
    void otherStatementsAndBadJsonAreLeftAlone();
};

void TestDrawingJson::bigDrawingAsTheOrdinaryPath()
{
    QRandomGenerator rng(7);
    Drawing d;
    d.uuid = protocol::newUuid();
    for (int i = 0; i < 3000; ++i) {
        Line l;
        l.uuid = protocol::newUuid();
        l.tool = i % 10 == 0 ? QStringLiteral("eraser") : QStringLiteral("pen");
        l.color = i % 3 == 0 ? QStringLiteral("#000000cc") : QStringLiteral("#e02d25");
        l.width = i % 4 == 0 ? 0 : 0.5 + rng.bounded(40) / 2.0;
        l.userUuid = i % 5 == 0 ? QString() : protocol::newUuid();
        const int n = 1 + int(rng.bounded(120));
        for (int k = 0; k < n; ++k) // one decimal as clients send, and a few raw doubles
            l.points << (k % 17 == 0 ? rng.generateDouble() * 640
                                     : std::round(rng.generateDouble() * 6400) / 10)
                     << std::round(rng.generateDouble() * 4800) / 10;
        d.lines.append(l);
    }
    const QByteArray text =
        protocol::encode(protocol::Type::Result, protocol::name(protocol::Result::DrawingGot),
                         {{QStringLiteral("object"), d.toJson()}});
    QVERIFY(text.size() > 64 * 1024); // ChatClient uses the fast path from this size
    const auto fast = protocol::decodeDrawingGot(text);
    QVERIFY(fast);
    QCOMPARE(fast->envelope.type, protocol::Type::Result);
    QCOMPARE(fast->envelope.message, QStringLiteral("drawing_got"));
    const auto ref = reference(text);
    QVERIFY(ref);
    QCOMPARE(fast->drawing.uuid, d.uuid);
    QCOMPARE(fast->drawing.lines.size(), d.lines.size());
    for (qsizetype i = 0; i < d.lines.size(); ++i) {
        QVERIFY2(sameLine(fast->drawing.lines[i], ref->lines[i]), qPrintable(QString::number(i)));
        QCOMPARE(fast->drawing.lines[i].points, d.lines[i].points); // bit for bit
    }
}

void TestDrawingJson::oddButValidInputAsTheOrdinaryPath_data()
{
    QTest::addColumn<QByteArray>("text");
    const QByteArray head = R"({"type":"result","payload":{"message":"drawing_got",)";
    QTest::newRow("escapes") << head + R"("object":{"uuid":"d\u00e9\"\\\/\n","lines":[
        {"uuid":"a\ud83d\ude00b","points":[1,2],"tool":"pen","color":"#000","user_uuid":"\t"}]}}})";
    QTest::newRow("numbers") << head + R"("object":{"lines":[{"uuid":"n","points":[0,-0,1e2,
        -0.5E-1,12345678901234567890,0.1234567890123456789,3.0e+1,99999999999999999]}]}}})";
    QTest::newRow("non-number points") << head + R"("object":{"lines":[{"uuid":"x",
        "points":[null,"7",true,[1],{"a":1},5]}]}}})";
    QTest::newRow("wrong types") << head + R"("object":{"uuid":5,"lines":[{"uuid":[],"points":
        "1,2","tool":1,"color":null,"width":"9"},7,null,{"points":{}}]}}})";
    QTest::newRow("lines not an array") << head + R"("object":{"uuid":"u","lines":{"a":1}}}})";
    QTest::newRow("unknown keys, nesting") << head + R"("client_id":"c1","extra":{"deep":[[[{
        "x":[1,{"y":null}]}]]]},"object":{"name":"drawing-u","lines":[{"uuid":"l","more":{"p":
        [1,2]},"points":[3,4],"width":2.5}],"z":false}}})";
    QTest::newRow("drawing key (older servers)")
        << head + R"("drawing":{"uuid":"old","lines":[{"uuid":"o","points":[1,1]}]}}})";
    QTest::newRow("object wins over drawing")
        << head + R"("drawing":{"uuid":"no"},"object":{"uuid":"yes","lines":[]}}})";
    QTest::newRow("object not an object") << head + R"("object":"x","drawing":{"uuid":"d"}}})";
    QTest::newRow("no object") << head + R"("client_id":"c"}})";
    QTest::newRow("payload first, whitespace")
        << QByteArray(" {\n\t\"payload\" : { \"object\" : { \"lines\" : [ { \"uuid\" : \"w\" ,"
                      " \"points\" : [ 1.5 , 2 ] } ] } , \"message\" : \"drawing_got\" } ,"
                      " \"type\" : \"result\" }\r\n");
}

void TestDrawingJson::oddButValidInputAsTheOrdinaryPath()
{
    QFETCH(QByteArray, text);
    const auto ref = reference(text);
    QVERIFY2(ref, "the test input must be valid JSON");
    const auto fast = protocol::decodeDrawingGot(text);
    QVERIFY(fast);
    QCOMPARE(fast->drawing.uuid, ref->uuid);
    QCOMPARE(fast->drawing.lines.size(), ref->lines.size());
    for (qsizetype i = 0; i < ref->lines.size(); ++i) {
        const Line &a = fast->drawing.lines[i], &b = ref->lines[i];
        QCOMPARE(a.uuid, b.uuid);
        QCOMPARE(a.points, b.points);
        QCOMPARE(a.tool, b.tool);
        QCOMPARE(a.color, b.color);
        QCOMPARE(a.width, b.width);
        QCOMPARE(a.userUuid, b.userUuid);
    }
    // The rest of the payload is there for ChatClient (client_id and the like).
    const auto env = protocol::decodeEnvelope(text);
    for (auto it = env->payload.begin(); it != env->payload.end(); ++it) {
        if (!it.value().isObject() || it.key() == QLatin1String("extra"))
            QCOMPARE(fast->envelope.payload.value(it.key()), it.value());
    }
}

void TestDrawingJson::otherStatementsAndBadJsonAreLeftAlone_data()
{
    QTest::addColumn<QByteArray>("text");
    const QByteArray ok =
        R"({"type":"result","payload":{"message":"drawing_got","object":{"lines":[]}}})";
    QVERIFY(protocol::decodeDrawingGot(ok)); // the baseline the rows below break
    QTest::newRow("another result")
        << QByteArray(R"({"type":"result","payload":{"message":"draw_line_changed","object":{}}})");
    QTest::newRow("an error") << QByteArray(
        R"({"type":"error","payload":{"message":"drawing_got","object":{}}})");
    QTest::newRow("message not a string")
        << QByteArray(R"({"type":"result","payload":{"message":1,"object":{}}})");
    QTest::newRow("no payload") << QByteArray(R"({"type":"result"})");
    QTest::newRow("truncated") << ok.left(ok.size() - 3);
    QTest::newRow("trailing garbage") << ok + "x";
    QTest::newRow("trailing comma") << QByteArray(ok).replace("[]", "[1,]");
    QTest::newRow("leading zero") << QByteArray(ok).replace("\"lines\":[]",
                                                            "\"lines\":[{\"points\":[01]}]");
    QTest::newRow("bare dot") << QByteArray(ok).replace("\"lines\":[]",
                                                        "\"lines\":[{\"points\":[1.]}]");
    QTest::newRow("control char in string")
        << QByteArray(ok).replace("drawing_got", "drawing\x01got");
    QTest::newRow("bad escape") << QByteArray(ok).replace("\"lines\"", "\"li\\xnes\"");
    // Left to the ordinary path (QJsonDocument refuses past 1024 levels), never a deep recursion.
    QTest::newRow("nesting past 256 levels") << QByteArray(ok).replace(
        "\"lines\":[]", "\"lines\":[],\"x\":" + QByteArray(300, '[') + QByteArray(300, ']'));
    QTest::newRow("nesting of 100 000 levels") << QByteArray(ok).replace(
        "\"lines\":[]",
        "\"lines\":[{\"points\":[" + QByteArray(100000, '[') + QByteArray(100000, ']') + "]}]");
    QTest::newRow("not an object") << QByteArray("[1,2,3]");
    QTest::newRow("empty") << QByteArray();
}

void TestDrawingJson::otherStatementsAndBadJsonAreLeftAlone()
{
    QFETCH(QByteArray, text);
    QVERIFY(!protocol::decodeDrawingGot(text));
}

QTEST_GUILESS_MAIN(TestDrawingJson)
#include "tst_drawing_json.moc"
