// encodeLineJson (how the server writes a board's lines) gives what
// QJsonDocument(line.toJson()).toJson(Compact) gives: the same object when read back, and the
// same bytes -- for every finite number and every string, lone surrogates included.
#include "protocol/colors.h"
#include "protocol/drawing_json.h"
#include "protocol/objects.h"
#include "protocol/statements.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <limits>

using namespace chalk;
using protocol::Line;

namespace {

QByteArray reference(const Line &l)
{
    return QJsonDocument(l.toJson()).toJson(QJsonDocument::Compact);
}

QJsonObject readBack(const QByteArray &text)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError)
        qWarning() << "not JSON:" << error.errorString() << text.left(200);
    return doc.object();
}

// Where `got` (a line's text read back by QJsonDocument) differs from line.toJson(); empty when
// it does not. Two things do not read back as toJson() even from QJsonDocument's own text (the
// bytes are the same: QJsonDocument's reader differs from its writer), and are compared as
// QJsonDocument reads them back instead:
// - an integral double above 2^53 is written as "90071992547409900" (its shortest form) but
//   read back as an integer, and a QJsonValue integer never equals a double: same value here;
// - a string that begins with U+FEFF is read back without it (taken for a byte order mark) when
//   it holds no escape sequence.
QString differenceFromToJson(const QJsonObject &got, const Line &l, int *asQtReadsIt = nullptr)
{
    const QJsonObject want = l.toJson();
    if (got.keys() != want.keys())
        return QStringLiteral("keys ") + got.keys().join(u',');
    auto big = [](const QJsonValue &v) {
        return v.isDouble() && std::abs(v.toDouble()) > 9007199254740992.0;
    };
    auto same = [&](const QJsonValue &g, const QJsonValue &w) {
        if (w.isString() && w.toString().startsWith(QChar(0xfeff))) {
            if (asQtReadsIt)
                ++*asQtReadsIt;
            return g == w || (g.isString() && g.toString() == w.toString().mid(1));
        }
        if (big(w)) {
            if (asQtReadsIt)
                ++*asQtReadsIt;
            return g.toDouble() == w.toDouble();
        }
        return g == w;
    };
    for (const QString &key : want.keys()) {
        const QJsonValue g = got.value(key), w = want.value(key);
        if (key == QLatin1String("points")) {
            const QJsonArray ga = g.toArray(), wa = w.toArray();
            if (!g.isArray() || ga.size() != wa.size())
                return QStringLiteral("points: %1 of %2").arg(ga.size()).arg(wa.size());
            for (int k = 0; k < wa.size(); ++k) {
                if (!same(ga[k], wa[k]))
                    return QStringLiteral("point %1: %2 for %3")
                        .arg(k)
                        .arg(ga[k].toDouble(), 0, 'g', 17)
                        .arg(wa[k].toDouble(), 0, 'g', 17);
            }
        } else if (!same(g, w)) {
            return key + QLatin1String(": ") +
                   QString::fromUtf8(
                       QJsonDocument(QJsonArray{g, w}).toJson(QJsonDocument::Compact));
        }
    }
    return {};
}

// The same double, bit for bit (0 and -0 differ here; NaN equals NaN).
bool sameBits(double a, double b)
{
    return std::memcmp(&a, &b, sizeof a) == 0;
}

Line lineWith(QList<double> points)
{
    Line l;
    l.uuid = protocol::newUuid();
    l.tool = QStringLiteral("pen");
    l.color = QStringLiteral("#e02d25");
    l.points = std::move(points);
    return l;
}

// A finite double of any kind: decimals as clients send, integers, and raw bit patterns.
double randomNumber(QRandomGenerator &rng)
{
    static constexpr double kPow10[] = {1, 10, 100, 1000, 10000, 100000, 1e6};
    switch (rng.bounded(9)) {
    case 0: // an integer, sometimes negative, sometimes big
        return double(qint64(rng.generate64() >> rng.bounded(11, 64))) * (rng.bounded(2) ? 1 : -1);
    case 1:
    case 2: { // k decimals, as "123.4" reads
        const int k = int(rng.bounded(1, 7));
        const double n = double(qint64(rng.generate64() >> rng.bounded(20, 64)));
        return (rng.bounded(2) ? n : -n) / kPow10[k];
    }
    case 3: // a canvas coordinate with one decimal
        return std::round(rng.generateDouble() * 64000 - 32000) / 10;
    case 4: // a raw double in a canvas' range
        return rng.generateDouble() * 1280 - 320;
    case 5: // tiny and huge magnitudes
        return (rng.generateDouble() - 0.5) * std::pow(10.0, double(rng.bounded(-330, 309)));
    case 6: { // any finite bit pattern, subnormals included
        for (;;) {
            const quint64 bits = rng.generate64();
            double d;
            std::memcpy(&d, &bits, sizeof d);
            if (std::isfinite(d))
                return d;
        }
    }
    case 7: { // a float's value: few digits as a float, 17 as a double
        const float f =
            float((rng.generateDouble() - 0.5) * std::pow(10.0, double(rng.bounded(-30, 30))));
        return double(f);
    }
    default: // around the integer/double border of QJsonValue (2^53) and of the fast path
        return std::ldexp(1.0, int(rng.bounded(28, 56))) + double(int(rng.bounded(-8, 9))) / 2;
    }
}

QString randomText(QRandomGenerator &rng)
{
    static const char16_t pieces[] = {
        u'a',      u'"',      u'\\',     u'/',      u'\0',     u'\x01',   u'\b',
        u'\t',     u'\n',     u'\f',     u'\r',     u'\x1f',   u'\x7f',   u'\x80',
        u'\xe9',   u'\x7ff',  u'\x800',  u'\x20ac', u'\x2028', u'\xfeff', u'\xfffe',
        u'\xffff', u'\xd83d', u'\xde00', u'\xdbff', u'\xdc00'};
    QString s;
    const int n = int(rng.bounded(12));
    for (int i = 0; i < n; ++i)
        s += QChar(pieces[rng.bounded(int(std::size(pieces)))]);
    return s;
}

} // namespace

class TestDrawingJsonWriter : public QObject {
    Q_OBJECT
private slots:
    void randomLinesAsQJsonDocument();
    void numbersAsQJsonDocument_data();
    void numbersAsQJsonDocument();
    void everyFewDecimalsNumberAsQJsonDocument();
    void stringsAsQJsonDocument_data();
    void stringsAsQJsonDocument();
    void emptyAndMissingFields();
    void nonFiniteNumbersAsNull();
    void boardReadsBackWithDecodeDrawingGot();
};

void TestDrawingJsonWriter::randomLinesAsQJsonDocument()
{
    QRandomGenerator rng(11);
    const QStringList tools{QStringLiteral("pen"), QStringLiteral("eraser")};
    QStringList colors = protocol::drawingPalette();
    colors << protocol::roomPalette() << QStringLiteral("#000000cc") << QString();
    int numbers = 0;
    int asQtReadsIt = 0; // values compared as QJsonDocument reads them back
    for (int i = 0; i < 4000; ++i) {
        Line l;
        l.uuid = i % 7 == 0 ? randomText(rng) : protocol::newUuid();
        l.tool = i % 13 == 0 ? randomText(rng) : tools[i % 2];
        l.color = i % 11 == 0 ? randomText(rng) : colors[i % colors.size()];
        l.width = i % 3 == 0 ? 0 : i % 3 == 1 ? randomNumber(rng) : 0.5 + rng.bounded(80) / 2.0;
        l.userUuid = i % 5 == 0 ? QString() : i % 5 == 1 ? randomText(rng) : protocol::newUuid();
        const int n = int(rng.bounded(0, 200));
        for (int k = 0; k < n; ++k)
            l.points << randomNumber(rng);
        numbers += n;
        const QByteArray text = protocol::encodeLineJson(l);
        const QJsonObject got = readBack(text);
        const QString difference = differenceFromToJson(got, l, &asQtReadsIt);
        if (!difference.isEmpty())
            QFAIL(qPrintable(QStringLiteral("line %1: %2 in %3")
                                 .arg(i)
                                 .arg(difference, QString::fromUtf8(text.left(300)))));
        // The numbers come back as the very same doubles (but -0, which QJsonValue makes 0).
        const QJsonArray points = got.value(QLatin1String("points")).toArray();
        QCOMPARE(points.size(), l.points.size());
        for (int k = 0; k < n; ++k) {
            const double want = l.points[k] == 0 ? 0.0 : l.points[k];
            if (!sameBits(points[k].toDouble(), want))
                QFAIL(qPrintable(QStringLiteral("%1 read back as %2")
                                     .arg(l.points[k], 0, 'g', 17)
                                     .arg(points[k].toDouble(), 0, 'g', 17)));
        }
        // Byte for byte: nothing here is written differently from QJsonDocument.
        QCOMPARE(text, reference(l));
    }
    QVERIFY(numbers > 300000);
    qInfo("%d numbers, %d values compared as QJsonDocument reads them back", numbers, asQtReadsIt);
    QVERIFY(asQtReadsIt < numbers / 4); // most compare with toJson() itself, type included
}

void TestDrawingJsonWriter::numbersAsQJsonDocument_data()
{
    QTest::addColumn<double>("number");
    const double two53 = 9007199254740992.0;
    const struct {
        const char *name;
        double value;
    } cases[] = {
        {"0", 0.0},
        {"-0", -0.0},
        {"1", 1.0},
        {"-1", -1.0},
        {"0.5", 0.5},
        {"-0.5", -0.5},
        {"0.1", 0.1},
        {"0.05", 0.05},
        {"-0.05", -0.05},
        {"0.0001", 0.0001},
        {"-0.0009", -0.0009},
        {"0.00015", 0.00015},
        {"0.00001", 0.00001},
        {"1e-7", 1e-7},
        {"123.4", 123.4},
        {"-640.25", -640.25},
        {"1000.125", 1000.125},
        {"99999.9999", 99999.9999},
        {"0.1 + 0.2", 0.1 + 0.2},
        {"1/3", 1.0 / 3},
        {"2^30 - 0.5", 1073741823.5},
        {"2^30 + 0.5", 1073741824.5},
        {"123456789.1", 123456789.1},
        {"2^53 - 1", two53 - 1},
        {"2^53", two53},
        {"-2^53", -two53},
        {"2^53 + 2", two53 + 2},
        {"-2^53 - 2", -two53 - 2},
        {"2^63", 9223372036854775808.0},
        {"1e15 + 0.5", 1e15 + 0.5},
        {"1e17", 1e17},
        {"1e21", 1e21},
        {"1e22", 1e22},
        {"1e300", 1e300},
        {"-1e-300", -1e-300},
        {"DBL_MAX", DBL_MAX},
        {"-DBL_MAX", -DBL_MAX},
        {"DBL_MIN", DBL_MIN},
        {"denorm_min", std::numeric_limits<double>::denorm_min()},
        {"DBL_EPSILON", DBL_EPSILON},
    };
    for (const auto &c : cases)
        QTest::newRow(c.name) << c.value;
}

void TestDrawingJsonWriter::numbersAsQJsonDocument()
{
    QFETCH(double, number);
    Line l = lineWith({number, -number, number * 0.5, number / 10});
    l.width = std::abs(number); // width goes through the same writer
    const QByteArray text = protocol::encodeLineJson(l);
    QCOMPARE(text, reference(l));
    QCOMPARE(differenceFromToJson(readBack(text), l), QString());
    const QJsonArray points = readBack(text).value(QLatin1String("points")).toArray();
    for (int k = 0; k < l.points.size(); ++k)
        QVERIFY(sameBits(points[k].toDouble(), l.points[k] == 0 ? 0.0 : l.points[k]));
}

void TestDrawingJsonWriter::everyFewDecimalsNumberAsQJsonDocument()
{
    // Every n / 10^k for |n| < 20 000 and k = 1..6, and a sample at larger magnitudes: the
    // fast path's choice of form (below 1, "0.001" but "1e-04") against QJsonDocument's.
    static constexpr double kPow10[] = {1, 10, 100, 1000, 10000, 100000, 1e6};
    QRandomGenerator rng(3);
    int lines = 0;
    for (int k = 1; k <= 6; ++k) {
        for (int scale = 0; scale < 3; ++scale) {
            Line l = lineWith({});
            for (int n = -20000; n < 20000; ++n) {
                const qint64 m =
                    scale == 0 ? n : n * qint64(rng.bounded(1, scale == 1 ? 1000 : 50000));
                l.points << double(m) / kPow10[k];
            }
            const QByteArray text = protocol::encodeLineJson(l);
            QCOMPARE(text, reference(l));
            QCOMPARE(readBack(text), l.toJson()); // no exceptions here
            ++lines;
        }
    }
    QCOMPARE(lines, 18);
}

void TestDrawingJsonWriter::stringsAsQJsonDocument_data()
{
    QTest::addColumn<QString>("text");
    QString controls;
    for (char16_t c = 0; c < 0x20; ++c)
        controls += QChar(c);
    QTest::newRow("all controls") << controls;
    QTest::newRow("quote, backslash, slash, DEL") << QStringLiteral("a\"b\\c/d\x7f");
    QTest::newRow("two- and three-byte UTF-8")
        << QStringLiteral("é€ Ωß\u2028\u2029\ufeff\ufffe\uffff");
    QTest::newRow("a surrogate pair") << QString::fromUtf16(u"x\U0001F600y");
    QTest::newRow("lone high surrogate at the end") << QString::fromUtf16(u"ab\xd83d");
    QTest::newRow("lone high surrogate before ASCII") << QString::fromUtf16(u"\xd83dz");
    QTest::newRow("lone low surrogate") << QString::fromUtf16(u"a\xde00"
                                                              u"b");
    QTest::newRow("low before high") << QString::fromUtf16(u"\xde00\xd83d");
    QTest::newRow("two highs, then a low") << QString::fromUtf16(u"\xd83d\xd83d\xde00");
    QTest::newRow("a NUL") << QString(QChar(0));
    QTest::newRow("U+FEFF first (QJsonDocument reads it back without)")
        << QString(QChar(0xfeff)) + QChar(0xfeff) + QLatin1String("x");
    QTest::newRow("long") << QString(3000, QChar(u'\x1f'));
}

void TestDrawingJsonWriter::stringsAsQJsonDocument()
{
    QFETCH(QString, text);
    Line l = lineWith({1, 2.5});
    for (QString *field : {&l.uuid, &l.tool, &l.color, &l.userUuid}) {
        const QString before = *field;
        *field = text;
        const QByteArray written = protocol::encodeLineJson(l);
        QCOMPARE(written, reference(l));
        const QJsonObject got = readBack(written);
        QCOMPARE(differenceFromToJson(got, l), QString());
        *field = before;
    }
    // and read back as the same UTF-16, lone surrogates included
    l.color = text;
    const QString back =
        readBack(protocol::encodeLineJson(l)).value(QLatin1String("color")).toString();
    if (text.startsWith(QChar(0xfeff)))
        QCOMPARE(back, text.mid(1)); // without escapes QJsonDocument drops it (see above)
    else
        QCOMPARE(back, text);
}

void TestDrawingJsonWriter::emptyAndMissingFields()
{
    // No points, no user (the key is left out), width 0 or below (left out), null strings.
    Line l;
    QCOMPARE(protocol::encodeLineJson(l), reference(l));
    QCOMPARE(protocol::encodeLineJson(l),
             QByteArray(R"({"color":"","name":"line-","points":[],"tool":"","uuid":""})"));
    l.width = -3;
    QCOMPARE(protocol::encodeLineJson(l), reference(l));
    l.width = 2.5;
    l.userUuid = QStringLiteral("u");
    l.points = {-0.0};
    QCOMPARE(protocol::encodeLineJson(l),
             QByteArray(R"({"color":"","name":"line-","points":[0],"tool":"","user_uuid":"u",)"
                        R"("uuid":"","width":2.5})"));
    QCOMPARE(protocol::encodeLineJson(l), reference(l));
}

void TestDrawingJsonWriter::nonFiniteNumbersAsNull()
{
    // Validation refuses these; should one get here, it is written as QJsonDocument does.
    const double inf = std::numeric_limits<double>::infinity();
    Line l = lineWith({1, std::numeric_limits<double>::quiet_NaN(), inf, -inf, 2});
    l.width = inf;
    const QByteArray text = protocol::encodeLineJson(l);
    QVERIFY(text.contains("\"points\":[1,null,null,null,2]"));
    QVERIFY(text.contains("\"width\":null"));
    QCOMPARE(text, reference(l));
}

void TestDrawingJsonWriter::boardReadsBackWithDecodeDrawingGot()
{
    // Lines joined into a drawing_got, as the server sends them, read by the client's reader.
    QRandomGenerator rng(5);
    protocol::Drawing d{protocol::Drawing::uuidForRoom(protocol::newUuid()), {}};
    for (int i = 0; i < 500; ++i) {
        Line l = lineWith({});
        l.width = i % 2 ? 0 : 3.5;
        l.userUuid = i % 3 ? protocol::newUuid() : QString();
        for (int k = 0; k < 60; ++k)
            l.points << randomNumber(rng);
        d.lines << l;
    }
    QByteArray joined;
    for (const Line &l : d.lines)
        joined += (joined.isEmpty() ? "" : ",") + protocol::encodeLineJson(l);
    QByteArray frame =
        protocol::encode(protocol::Type::Result, protocol::name(protocol::Result::DrawingGot),
                         {{QStringLiteral("object"), protocol::Drawing{d.uuid, {}}.toJson()}});
    const qsizetype at = frame.indexOf("\"lines\":[]");
    QVERIFY(at > 0);
    frame.insert(at + 9, joined);
    const auto got = protocol::decodeDrawingGot(frame);
    QVERIFY(got);
    QCOMPARE(got->drawing.uuid, d.uuid);
    QCOMPARE(got->drawing.lines.size(), d.lines.size());
    for (int i = 0; i < d.lines.size(); ++i) {
        const Line &a = got->drawing.lines[i];
        const Line &b = d.lines[i];
        QCOMPARE(a.uuid, b.uuid);
        QCOMPARE(a.tool, b.tool);
        QCOMPARE(a.color, b.color);
        QCOMPARE(a.width, b.width);
        QCOMPARE(a.userUuid, b.userUuid);
        QCOMPARE(a.points.size(), b.points.size());
        for (int k = 0; k < a.points.size(); ++k) {
            if (!sameBits(a.points[k], b.points[k] == 0 ? 0.0 : b.points[k]))
                QFAIL(qPrintable(QStringLiteral("%1 read back as %2")
                                     .arg(b.points[k], 0, 'g', 17)
                                     .arg(a.points[k], 0, 'g', 17)));
        }
    }
}

QTEST_GUILESS_MAIN(TestDrawingJsonWriter)
#include "tst_drawing_json_writer.moc"
